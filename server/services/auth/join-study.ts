import type { Identity } from '../../../shared/schemas/identity.ts';
import type { Participant, PeopleStorage, ProlificIds } from '../../storage/people-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { AppError } from '../../../shared/errors.ts';

export type StudyGateState = 'open' | 'paused' | 'closed' | 'missing';

/** Whether a study accepts people joining now. The studies service provides the real one (study status). */
export type StudyGate = (studyId: string) => Promise<StudyGateState>;

/** Until studies have a status: open if the study exists. */
export function defaultStudyGate(storage: Pick<Storage, 'getStudy'>): StudyGate {
  return async (studyId) => ((await storage.getStudy(studyId)) ? 'open' : 'missing');
}

export interface JoinOutcome {
  participant: Participant;
  /** True when the person had joined before and continues as the same participant. */
  resumed: boolean;
}

/**
 * A person opens an invitation link. With a Prolific id, the same (study, PROLIFIC_PID) is always the same
 * participant, but a PID is no secret (it shows in links, screenshots and exports), so knowing it does not let a
 * browser take that participant's place (persona, hidden preferences, transcript, completion code). Resuming needs
 * proof tied to the person: the browser they started in (its participant session cookie), or Prolific's SESSION_ID of
 * their attempt, equal to the one stored at their first join. Otherwise `forbidden`. Without a PID, the browser's own participant session in this study and role resumes;
 * otherwise a new anonymous participant is created. A paused or closed study refuses everyone, new or returning.
 */
export async function joinStudy(
  people: PeopleStorage,
  code: string,
  prolific: ProlificIds,
  studyGate: StudyGate,
  current: Identity | null = null,
): Promise<JoinOutcome> {
  const invite = await people.findInvite(code);
  if (!invite || invite.revoked)
    throw new AppError('invalid_invite', 'this invitation link is not valid; it may have been withdrawn');
  const gate = await studyGate(invite.studyId);
  if (gate === 'missing')
    throw new AppError('invalid_invite', 'this invitation link is not valid; it may have been withdrawn');
  if (gate === 'paused') throw new AppError('study_paused', 'this study is paused; please try again later');
  if (gate === 'closed') throw new AppError('study_closed', 'this study has closed and takes no more participants');

  if (
    prolific.prolificPid === undefined &&
    current?.kind === 'participant' &&
    current.studyId === invite.studyId &&
    current.role === invite.role
  ) {
    const participant = await people.getParticipant(current.participantId);
    if (participant) return { participant, resumed: true };
  }
  const { participant, created } = await people.findOrCreateParticipant({
    studyId: invite.studyId,
    role: invite.role,
    prolific,
    inviteCode: invite.code,
  });
  // One Prolific worker is one participant per study; the rater link cannot turn an actor into a rater.
  if (participant.role !== invite.role) {
    throw new AppError(
      'role_conflict',
      `you already take part in this study as ${participant.role === 'actor' ? 'an actor' : 'a rater'}`,
    );
  }
  if (!created && !provesParticipant(participant, prolific, current)) {
    throw new AppError(
      'forbidden',
      'this Prolific ID has already started this study in another browser; please continue in the browser you started in, or contact the researcher',
    );
  }
  return { participant, resumed: !created };
}

/** Whether the request comes from the participant's own browser or carries the SESSION_ID of their first join. */
function provesParticipant(participant: Participant, prolific: ProlificIds, current: Identity | null): boolean {
  if (current?.kind === 'participant' && current.participantId === participant.id) return true;
  const stored = participant.prolificSessionId;
  return stored !== undefined && stored !== '' && prolific.prolificSessionId === stored;
}
