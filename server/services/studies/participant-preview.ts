import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { ParticipantPreview, PreviewActorTask, PreviewEnd } from '../../../shared/schemas/api-preview.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import { LiveStudySettingsSchema, type LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import { OUTCOME_SETTING_KEY, type ParticipantOutcomeKind } from '../../../shared/schemas/participant-outcome.ts';
import { openingMessage } from '../../engine/opening-message.ts';
import type { Storage } from '../../storage/storage.ts';
import { blindRatingItem } from './blind-rating-item.ts';
import { completionCodeFor } from './participant-outcomes.ts';
import { participantIntro } from './participant-intro.ts';
import { requireStudy } from './study-settings.ts';
import { shownConsent } from '../consent/consent-text.ts';

/**
 * The researcher's preview of a role's participant pages (docs/researcher-console.md). Reads only: no participant, play
 * lease, episode, rating item lease, rating or outcome is made, so previewing never uses a play unit or touches the
 * study's data. Every part is produced by the code that produces it for a real participant (the intro, the journey's
 * fields, the completion codes, the blinded item builder), so the preview cannot drift from what participants see.
 */

/** Shown as the answer of the rater's sample item: no model is asked (a preview makes no paid calls). */
export const SAMPLE_ANSWER =
  'This is a sample answer shown only in the researcher preview. In the study, raters read here the final answer a ' +
  'model gave to the person described below, and score it on that person’s criteria.';

/** The item id of the sample: not a real item, so it cannot be submitted or flagged. */
export const SAMPLE_ITEM_ID = 'preview';

const ROLE_ENDS: Record<ParticipantRole, ParticipantOutcomeKind[]> = {
  actor: ['completed', 'timed_out'],
  rater: ['completed', 'failed_attention', 'no_work'],
};

function endsFor(settings: LiveStudySettings, role: ParticipantRole): PreviewEnd[] {
  // A screen-out can only happen when the study asks the question.
  const kinds = settings.screeningQuestion === '' ? ROLE_ENDS[role] : [...ROLE_ENDS[role], 'screened_out' as const];
  return kinds.map((outcome) => ({
    outcome,
    completionCode: completionCodeFor(settings, outcome),
    completionUrl: settings.completionUrls[OUTCOME_SETTING_KEY[outcome]] || null,
  }));
}

/** The first record the study's settings select (the first of its list, else the first imported), or null. */
async function sampleRecord(storage: Storage, studyId: string, settings: LiveStudySettings) {
  const ids =
    settings.records.kind === 'list' ? settings.records.problemIds : await storage.work.listProblemIds(studyId);
  for (const id of ids.slice(0, 20)) {
    const record = await storage.getRecord(studyId, id);
    if (record) return record;
  }
  return null;
}

function actorTask(record: BenchmarkRecord): PreviewActorTask {
  const problem = normalizeProblem(record);
  return {
    problemId: record.problem_id,
    opening: openingMessage(problem),
    persona: record.persona,
    preferences: record.persona_preferences,
    rubric: record.evaluation_rubric.evaluation_criteria,
  };
}

/** The consent text and hash a participant of the role would be shown. */
function previewConsent(stored: LiveStudySettings | null, role: ParticipantRole): { text: string; sha256: string } {
  const { text, sha256 } = shownConsent(stored, role);
  return { text, sha256 };
}

export async function participantPreview(
  storage: Storage,
  studyId: string,
  role: ParticipantRole,
): Promise<ParticipantPreview> {
  await requireStudy(storage, studyId);
  // A study never configured previews with the defaults, as its participants would be served.
  const stored = await storage.work.getSettings(studyId);
  const settings = stored ?? LiveStudySettingsSchema.parse({});
  const record = await sampleRecord(storage, studyId, settings);
  return {
    preview: true,
    role,
    // The status as GET /api/participant/study reports it (a study without settings reads as open there).
    study: { role, ...participantIntro(stored, role), status: stored?.status ?? 'open' },
    journey: {
      outcome: null,
      screeningQuestion: settings.screeningQuestion,
      outOfWork: { policy: settings.outOfWork.policy, waitMinutes: settings.outOfWork.waitMinutes },
      // The preview's ends come after one play.
      playsLeft: role === 'actor' ? Math.max(0, settings.quotas.playsPerActor - 1) : null,
      participantLanguage: settings.participantLanguage,
      // The preview records no decision: the researcher reads the text their participants would be shown.
      consent: { ...previewConsent(stored, role), decision: null, decidedAt: null },
    },
    ends: endsFor(settings, role),
    actorTask: role === 'actor' && record ? actorTask(record) : null,
    ratingItem:
      role === 'rater' && record
        ? blindRatingItem({
            itemId: SAMPLE_ITEM_ID,
            record,
            answer: SAMPLE_ANSWER,
            transcript: null,
            showTranscript: false,
          })
        : null,
  };
}
