import type { Identity } from '../../../shared/schemas/identity.ts';
import type { InviteLink, Participant, PeopleStorage, ProlificIds } from '../../storage/people-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { AppError } from '../../../shared/errors.ts';
import { isProlificPidFormat } from '../../../shared/schemas/participant-outcome.ts';

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
  const invite = await people.findInviteLink(code);
  if (!invite) throw new AppError('invalid_invite', 'This invitation link is not valid; it may have been withdrawn');
  await refuseLockedOut(people, invite, null);
  const gate = await studyGate(invite.studyId);
  if (gate === 'missing')
    throw new AppError('invalid_invite', 'This invitation link is not valid; it may have been withdrawn');
  if (gate === 'paused') throw new AppError('study_paused', 'This study is paused; please try again later');
  if (gate === 'closed') throw new AppError('study_closed', 'This study has closed and takes no more participants');

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
      `You already take part in this study as ${participant.role === 'actor' ? 'an actor' : 'a rater'}`,
    );
  }
  if (!created) await refuseLockedOut(people, invite, participant);
  if (!created && !provesParticipant(participant, prolific, current)) {
    throw new AppError(
      'forbidden',
      'This Prolific ID has already started this study in another browser; please open the study again from Prolific (its link identifies your attempt), or continue in the browser you started in, or contact the researcher',
    );
  }
  return { participant, resumed: !created };
}

/**
 * Invite limits at the door (docs/security.md, "Invitation links"). A link revoked with 'lock' admits nobody, and a
 * returning participant who first joined through a locked link stays out whichever link of the study they open. A
 * cap, an expiry or a 'finish' revoke only keep new people out, so returning participants can finish; storage checks
 * those in the same transaction that would create the participant (PeopleStorage.findOrCreateParticipant).
 */
async function refuseLockedOut(
  people: PeopleStorage,
  invite: InviteLink,
  returning: Participant | null,
): Promise<void> {
  const locked = (i: InviteLink | null) => i?.revoked === true && i.revokeMode === 'lock';
  if (locked(invite)) throw new AppError('invalid_invite', 'This invitation link has been withdrawn');
  if (
    returning?.inviteCode &&
    returning.inviteCode !== invite.code &&
    locked(await people.findInviteLink(returning.inviteCode))
  ) {
    throw new AppError('forbidden', 'The researcher has withdrawn the link you joined this study through');
  }
}

/** Whether the request comes from the participant's own browser or carries the SESSION_ID of their first join. */
function provesParticipant(participant: Participant, prolific: ProlificIds, current: Identity | null): boolean {
  if (current?.kind === 'participant' && current.participantId === participant.id) return true;
  const stored = participant.prolificSessionId;
  return stored !== undefined && stored !== '' && prolific.prolificSessionId === stored;
}

/** Whether a study refuses Prolific ids that do not look like Prolific's (its `requireProlificIdFormat` setting). */
export type ProlificIdRule = (studyId: string) => Promise<boolean>;

/**
 * Refuses a PROLIFIC_PID that is not 24 hexadecimal characters when the invite's study asks for the format, before
 * anything is stored. A link opened outside Prolific (or with an unfilled template) is the usual cause, so the message
 * says where to open it from. Applies to every join with a PID, returning ones included: turn it on before opening.
 */
export async function checkProlificIdFormat(
  people: PeopleStorage,
  code: string,
  prolific: ProlificIds,
  requiresFormat: ProlificIdRule,
): Promise<void> {
  const pid = prolific.prolificPid;
  if (pid === undefined || isProlificPidFormat(pid)) return;
  const invite = await people.findInviteLink(code);
  // An unknown or withdrawn link is joinStudy's to refuse, with its own message.
  if (!invite || invite.revoked || !(await requiresFormat(invite.studyId))) return;
  throw new AppError(
    'invalid_payload',
    'This link carries a Prolific ID that is not valid (a Prolific ID is 24 letters a–f and digits); please open the study from Prolific again, or contact the researcher',
    { issues: [{ path: '$.PROLIFIC_PID', message: 'must be 24 hexadecimal characters' }] },
  );
}
