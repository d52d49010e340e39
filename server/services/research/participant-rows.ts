import type { StudyParticipant } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { shownConsent } from '../consent/consent-text.ts';
import { activeMinutes, participantEnd } from './participant-activity.ts';
import { prolificCells } from './prolific-cells.ts';
import { StudyPseudonyms } from './pseudonyms.ts';
import type { Row } from './table-format.ts';

/** Participants read per storage call (with their activity times), so an export never holds many at once. */
const PARTICIPANT_PAGE = 200;

/** A study's participants in joining order, page by page; each page is one short storage call. */
export async function* studyParticipants(
  storage: Storage,
  studyId: string,
  pageSize = PARTICIPANT_PAGE,
): AsyncGenerator<StudyParticipant[]> {
  let after: { createdAt: string; id: string } | null = null;
  for (;;) {
    const page: StudyParticipant[] = await storage.research.studyParticipants(studyId, { after, limit: pageSize });
    if (page.length === 0) return;
    yield page;
    const last = page[page.length - 1] as StudyParticipant;
    after = { createdAt: last.createdAt, id: last.id };
    if (page.length < pageSize) return;
  }
}

export const PARTICIPANT_COLUMNS = [
  'participant_id',
  'role',
  'prolific_pid',
  'prolific_study_id',
  'prolific_session_id',
  'invite_code',
  'joined_at',
  'finished_at',
  'active_minutes',
  'outcome',
  'outcome_source',
  'completion_code',
  'plays_started',
  'plays_completed',
  'plays_self_rated',
  'plays_timed_out',
  'ratings_done',
  'cant_judge',
  'attention_checked',
  'attention_passed',
  'attention_failed',
  'consent',
  'consent_version',
  'consent_at',
  'consent_current',
] as const;

/** The consent version as exports name it: the first 12 hex digits of its SHA-256 (the consent versions list has all). */
export function consentVersionName(sha256: string): string {
  return sha256.slice(0, 12);
}

/**
 * The payment list: one row per participant (actors and raters), in joining order: who they are on Prolific, their
 * work and its end. The only export with the real Prolific ids (for approving and paying on Prolific); its
 * `participant_id` is the study's pseudonym, the one the analysis exports carry, so the two can be joined by whoever
 * holds both.
 */
export async function* participantRows(storage: Storage, studyId: string): AsyncGenerator<Row> {
  const settings = await storage.work.getSettings(studyId);
  const names = await StudyPseudonyms.of(storage, studyId);
  // What each role is shown now: an agreement to another text is to an older version of the study's consent.
  const current = { actor: shownConsent(settings, 'actor').sha256, rater: shownConsent(settings, 'rater').sha256 };
  for await (const page of studyParticipants(storage, studyId)) {
    const consents = await storage.consent.decisionsOf(page.map((p) => p.id));
    for (const p of page) {
      const end = participantEnd(p, settings);
      const consent = consents.get(p.id);
      yield {
        participant_id: names.name('participant', p.id),
        role: p.role,
        ...prolificCells(p),
        invite_code: p.inviteCode,
        joined_at: p.createdAt,
        finished_at: end.finishedAt,
        active_minutes: activeMinutes(p.createdAt, p.eventTimes, p.ratingTimes),
        outcome: end.outcome,
        outcome_source: end.source,
        completion_code: end.completionCode,
        plays_started: p.plays.started,
        plays_completed: p.plays.completed,
        plays_self_rated: p.plays.selfRated,
        plays_timed_out: p.plays.timedOut,
        ratings_done: p.ratings.done,
        cant_judge: p.ratings.cantJudge,
        attention_checked: p.ratings.attentionChecked,
        attention_passed: p.ratings.attentionPassed,
        attention_failed: p.ratings.attentionChecked - p.ratings.attentionPassed,
        consent: consent?.decision ?? null,
        consent_version: consent ? consentVersionName(consent.version.sha256) : null,
        consent_at: consent?.decidedAt ?? null,
        consent_current: consent ? consent.version.sha256 === current[p.role] : null,
      };
    }
  }
}
