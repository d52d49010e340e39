import type { CandidateGroup, CandidatesPreview } from '../../../shared/schemas/api-studies.ts';
import { isTestModel } from '../research/test-models.ts';
import { episodeCandidates } from './rating-candidates.ts';
import type { SettingsDeps } from './study-settings.ts';

/**
 * A dry run of sending answers to raters: what would be added, by model and condition, and whether any of it is the
 * offline test model's canned text. Nothing is stored. The same checks as a real request apply, so a preview that
 * succeeds means the request would too (unless the queue changes in between).
 */

export async function previewCandidates(
  deps: SettingsDeps,
  studyId: string,
  episodeIds: readonly string[],
): Promise<CandidatesPreview> {
  const found = await episodeCandidates(deps, studyId, episodeIds);
  const queued = new Set(
    await deps.storage.work.queuedEpisodes(
      studyId,
      found.map((f) => f.candidate.sourceEpisodeId),
    ),
  );
  const groups = new Map<string, CandidateGroup>();
  // The same episode named twice is added once and then counted unchanged, as the real request counts it.
  const seen = new Set<string>();
  let anyNewWithoutTranscript = false;
  for (const f of found) {
    const episodeId = f.candidate.sourceEpisodeId;
    const key = JSON.stringify([f.model, f.mode, f.provider]);
    const group = groups.get(key) ?? {
      model: f.model,
      mode: f.mode,
      provider: f.provider,
      testModel: isTestModel(f.model, f.provider),
      wouldAdd: 0,
      unchanged: 0,
    };
    if (queued.has(episodeId) || seen.has(episodeId)) group.unchanged += 1;
    else {
      group.wouldAdd += 1;
      if (f.candidate.transcript === null) anyNewWithoutTranscript = true;
    }
    seen.add(episodeId);
    groups.set(key, group);
  }
  const list = [...groups.values()].sort((a, b) => a.model.localeCompare(b.model) || a.mode.localeCompare(b.mode));
  const settings = await deps.storage.work.getSettings(studyId);
  const showing =
    settings?.showTranscript === true && (await deps.storage.work.countCandidatesWithoutTranscript(studyId)) === 0;
  return {
    dryRun: true,
    wouldAdd: list.reduce((n, g) => n + g.wouldAdd, 0),
    unchanged: list.reduce((n, g) => n + g.unchanged, 0),
    groups: list,
    testModel: list.some((g) => g.testModel && g.wouldAdd > 0),
    hidesTranscripts: showing && anyNewWithoutTranscript,
  };
}
