import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { randomInt, type Rng } from '../../shared/stats/random.ts';

/**
 * The diversity pressure of persona generation, as in the reference generator: most prompts suggest an occupation not
 * yet in the library and the least-represented age bracket; the others show a few library personas as examples of
 * the detail expected. Every prompt names recent personas to differ from, and names and places to avoid.
 */

export const AGE_BRACKETS = [
  [18, 25],
  [26, 35],
  [36, 45],
  [46, 55],
  [56, 65],
  [66, 75],
] as const;

/** Share of prompts that suggest an occupation and an age bracket (the reference's 0.7). */
export const SUGGESTION_SHARE = 0.7;
export const RECENT_SHOWN = 8;
export const AVOID_SHOWN = 5;
export const FEW_SHOT_EXAMPLES = 3;

/** Occupations off the beaten track, so the library does not fill with teachers and engineers. Our own list. */
export const OCCUPATION_SUGGESTIONS = [
  'Lighthouse keeper turned coastal-erosion surveyor',
  'Piano tuner for concert halls',
  'Night-shift bakery supervisor',
  'Wind-turbine blade repair technician',
  'Ferry deckhand',
  'Forensic accountant for a small firm',
  'Community radio presenter',
  'Tattoo artist',
  'Dairy goat farmer',
  'Stage rigger for touring bands',
  'Hospital chaplain',
  'Subway train driver',
  'Freelance court stenographer',
  'Cheesemonger',
  'Glassblower',
  'Wildland firefighter',
  'Bicycle courier',
  'Retired merchant navy engineer',
  'Beekeeping co-operative treasurer',
  'Ice-rink Zamboni driver',
  'Funeral celebrant',
  'Oyster farmer',
  'Sign-language interpreter for theatre',
  'Escape-room designer',
  'Long-haul truck dispatcher',
  'Shoe repairer',
  'Veterinary nurse on a farm practice',
  'Museum conservator of textiles',
  'Tour guide in a salt mine',
  'Competitive esports coach',
  'Stonemason restoring churches',
  'Call-centre team lead for an energy company',
  'Apprentice electrician',
  'Seed-bank curator',
  'Wedding cake decorator',
  'Snow-plough operator',
  'Amateur astronomer who runs a campsite',
  'Hotel night porter',
  'Fishmonger at a city market',
  'Rope-access window cleaner',
  "Translator of children's books",
  'Rural postal worker',
  'Dog groomer',
  'Air-traffic control assistant',
  'Organic vineyard labourer',
  'Pharmacy technician',
  'Auctioneer of agricultural machinery',
  'Puppeteer',
  'Tailor running a repair shop',
  'Quarry blast technician',
  'Yoga teacher in a prison programme',
  'Taxi driver',
];

export function bracketLabel(bracket: readonly [number, number]): string {
  return `${bracket[0]}–${bracket[1]}`;
}

/** The least-represented age bracket in the library (a seeded choice among ties). */
export function leastRepresentedBracket(library: LibraryPersona[], rng: Rng): readonly [number, number] {
  const counts = AGE_BRACKETS.map(
    ([lo, hi]) => library.filter((p) => p.demographics.age >= lo && p.demographics.age <= hi).length,
  );
  const min = Math.min(...counts);
  const ties = AGE_BRACKETS.filter((_, i) => counts[i] === min);
  return ties[randomInt(rng, ties.length)] ?? AGE_BRACKETS[0];
}

/** An occupation suggestion no library persona has yet, or null when all are used. */
export function unusedOccupation(library: LibraryPersona[], rng: Rng): string | null {
  const used = library.map((p) => p.demographics.occupation.toLowerCase());
  const free = OCCUPATION_SUGGESTIONS.filter(
    (o) => !used.some((u) => u.includes(o.toLowerCase()) || o.toLowerCase().includes(u)),
  );
  return free.length === 0 ? null : (free[randomInt(rng, free.length)] ?? null);
}

export function recentLines(library: LibraryPersona[]): string {
  const recent = library.slice(-RECENT_SHOWN);
  if (recent.length === 0) return '(the library is empty)';
  return recent
    .map(
      (p) =>
        `- ${p.name}, ${p.demographics.age}, ${p.demographics.occupation}, ${p.demographics.location}: ${p.minimal_necessary_description}`,
    )
    .join('\n');
}

export interface DiversityPlan {
  kind: 'suggestion' | 'examples';
  occupation: string | null;
  ageBracket: string | null;
  examples: LibraryPersona[];
  avoidNames: string[];
  avoidLocations: string[];
}

export function planDiversity(library: LibraryPersona[], rng: Rng): DiversityPlan {
  const useExamples = library.length >= FEW_SHOT_EXAMPLES && rng() >= SUGGESTION_SHARE;
  const avoidNames = library.slice(-AVOID_SHOWN).map((p) => p.name);
  const avoidLocations = library.slice(-AVOID_SHOWN).map((p) => p.demographics.location);
  if (useExamples) {
    const pool = [...library];
    const examples: LibraryPersona[] = [];
    while (examples.length < FEW_SHOT_EXAMPLES && pool.length > 0)
      examples.push(pool.splice(randomInt(rng, pool.length), 1)[0] as LibraryPersona);
    return { kind: 'examples', occupation: null, ageBracket: null, examples, avoidNames, avoidLocations };
  }
  return {
    kind: 'suggestion',
    occupation: unusedOccupation(library, rng),
    ageBracket: bracketLabel(leastRepresentedBracket(library, rng)),
    examples: [],
    avoidNames,
    avoidLocations,
  };
}

/** The guidance paragraph of the persona prompt for one plan. */
export function diversityGuidance(plan: DiversityPlan): string {
  if (plan.kind === 'examples') {
    const shown = plan.examples.map((p) => {
      const { id: _id, usage_count: _usage, ...rest } = p;
      return JSON.stringify(rest);
    });
    return `Here are personas that are both diverse and coherent, to show the depth and consistency expected. Do not copy them; invent someone quite different:\n${shown.join('\n')}`;
  }
  const lines = [];
  if (plan.occupation) lines.push(`Suggested occupation (no one in the library has it yet): ${plan.occupation}.`);
  if (plan.ageBracket)
    lines.push(`Suggested age: between ${plan.ageBracket}, the age group least represented in the library so far.`);
  lines.push('Follow the suggestions unless they would make the person implausible.');
  return lines.join('\n');
}
