import type { EpisodeEvent, EpisodeSummary } from '../../../shared/schemas/episode.ts';
import type { RatingFlag } from '../../../shared/schemas/assignment-progress.ts';
import type { ConsentRecord } from '../../storage/consent-storage.ts';
import type { StudyParticipant } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import type { ParticipantOutcome, StoredRating } from '../../storage/study-work-storage.ts';
import { activeMinutes, participantEnd } from './participant-activity.ts';
import { studyParticipants } from './participant-rows.ts';

/** One episode as stored: its summary and every event, in order. */
export interface StoredEpisodeData {
  summary: EpisodeSummary;
  events: EpisodeEvent[];
}

/**
 * Everything stored about one participant of a study, with their real ids (it is their own data, given to them on
 * request: docs/data-protection.md, "A participant's own data"). Free text is as they wrote it.
 */
export interface ParticipantData {
  study: { id: string; name: string };
  participant: {
    id: string;
    role: StudyParticipant['role'];
    prolificPid: string | null;
    prolificStudyId: string | null;
    prolificSessionId: string | null;
    inviteCode: string | null;
    joinedAt: string;
    finishedAt: string | null;
    activeMinutes: number;
  };
  /** Their decision on the consent text, with the text they were shown; null if they never decided. */
  consent: ConsentRecord | null;
  /** How their task ended, as stored; null while it has not. */
  outcome: ParticipantOutcome | null;
  /** The counts the researcher sees of their work. */
  work: { plays: StudyParticipant['plays']; ratings: StudyParticipant['ratings'] };
  /** The live episodes they played, each with every event (their messages, tags and self-rating among them). */
  episodes: (StoredEpisodeData & { assignmentId: string | null; twins: StoredEpisodeData[] })[];
  /** Their ratings of their own final answers (the `actor_rated` events of `episodes`, gathered for reading). */
  selfRatings: { episodeId: string; event: Extract<EpisodeEvent, { type: 'actor_rated' }> }[];
  /** The ratings they gave as a rater. */
  ratingsGiven: StoredRating[];
  /** Problems they reported with an item they were asked to rate. */
  flags: RatingFlag[];
}

async function findByProlificPid(
  storage: Storage,
  studyId: string,
  prolificPid: string,
): Promise<StudyParticipant | null> {
  for await (const page of studyParticipants(storage, studyId)) {
    const found = page.find((p) => p.prolificPid === prolificPid);
    if (found) return found;
  }
  return null;
}

async function episodeData(storage: Storage, id: string): Promise<StoredEpisodeData | null> {
  const episode = await storage.getEpisode(id);
  return episode ? { summary: episode.summary, events: episode.events } : null;
}

/** What is stored about the participant of `studyId` who joined with `prolificPid`; null if there is none. */
export async function participantData(
  storage: Storage,
  studyId: string,
  prolificPid: string,
): Promise<ParticipantData | null> {
  const study = await storage.getStudy(studyId);
  if (!study) return null;
  const p = await findByProlificPid(storage, studyId, prolificPid);
  if (!p) return null;
  const end = participantEnd(p, await storage.work.getSettings(studyId));

  const episodes: ParticipantData['episodes'] = [];
  // The participant's own episodes, however many the study has (a list of the study's stops at its newest 1,000).
  for (const live of await storage.live.listLive({ studyId, participantId: p.id })) {
    const episode = await episodeData(storage, live.summary.id);
    if (!episode) continue;
    const twins: StoredEpisodeData[] = [];
    for (const twinId of await storage.live.twinsOf(live.summary.id)) {
      const twin = await episodeData(storage, twinId);
      if (twin) twins.push(twin);
    }
    episodes.push({ ...episode, assignmentId: live.assignmentId, twins });
  }
  const selfRatings = episodes.flatMap((e) =>
    e.events.flatMap((event) => (event.type === 'actor_rated' ? [{ episodeId: e.summary.id, event }] : [])),
  );

  return {
    study: { id: study.id, name: study.name },
    participant: {
      id: p.id,
      role: p.role,
      prolificPid: p.prolificPid ?? null,
      prolificStudyId: p.prolificStudyId ?? null,
      prolificSessionId: p.prolificSessionId ?? null,
      inviteCode: p.inviteCode,
      joinedAt: p.createdAt,
      finishedAt: end.finishedAt,
      activeMinutes: activeMinutes(p.createdAt, p.eventTimes, p.ratingTimes),
    },
    consent: await storage.consent.getDecision(p.id),
    outcome: await storage.work.getOutcome(p.id),
    work: { plays: p.plays, ratings: p.ratings },
    episodes,
    selfRatings,
    ratingsGiven: (await storage.work.listRatings(studyId)).filter((r) => r.participantId === p.id),
    flags: (await storage.work.listFlags(studyId)).filter((f) => f.participantId === p.id),
  };
}
