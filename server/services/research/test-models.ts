import type { Provenance } from '../../../shared/schemas/episode.ts';

/**
 * The offline test model (`scripted`): canned text and canned judgments for trying the app. Numbers that rest on it
 * are never research results, so every page and report that shows such numbers says so. An episode's provenance
 * records the provider kind each seat's model ran on; the name `scripted` is reserved for the built-in one as well.
 */

const TEST_PROVIDER = 'scripted';
const SEATS = ['assistant', 'judge', 'simulator'] as const;
type Seat = (typeof SEATS)[number];

export function isTestModel(model: string, provider: string | null): boolean {
  return provider === TEST_PROVIDER || model === TEST_PROVIDER;
}

/** The provider kind the seat's model ran on, as the provenance records it; null when it does not say. */
export function providerOf(provenance: Provenance, seat: Seat): string | null {
  const settings = provenance.modelSettings[seat];
  if (typeof settings !== 'object' || settings === null || !('provider' in settings)) return null;
  return typeof settings.provider === 'string' ? settings.provider : null;
}

function modelOf(provenance: Provenance, seat: Seat): string | null {
  if (seat === 'assistant') return provenance.assistantModel;
  return seat === 'judge' ? provenance.judgeModel : provenance.simulatorModel;
}

/** The models (any seat: under test, judge, simulator) of these provenances that are the offline test model, sorted. */
export function testModelsOf(provenances: Iterable<Provenance>): string[] {
  const found = new Set<string>();
  for (const provenance of provenances)
    for (const seat of SEATS) {
      const model = modelOf(provenance, seat);
      if (model !== null && isTestModel(model, providerOf(provenance, seat))) found.add(model);
    }
  return [...found].sort();
}
