import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { DeletionRequester, ParticipantDeletion } from '../../storage/participant-deletion-storage.ts';
import type { Storage } from '../../storage/storage.ts';

/**
 * The app secret that keys the hash of a deleted participant's Prolific id (migration 016). Generated once per
 * database: with it, a researcher can check whether a Prolific id someone brings to a payment dispute was deleted;
 * without it, a copy of the database does not reveal the id.
 */
export const DELETION_KEY_SECRET = 'participant-deletion-key';

export async function deletionKey(storage: Storage): Promise<string> {
  return storage.people.getOrCreateAppSecret(DELETION_KEY_SECRET, randomBytes(32).toString('base64url'));
}

/** Deletes one participant's data (docs/data-protection.md, "Withdrawal and deletion"). `not_found` if unknown. */
export async function deleteParticipant(
  storage: Storage,
  participantId: string,
  by: DeletionRequester,
  now: Date = new Date(),
): Promise<ParticipantDeletion> {
  return storage.deletions.deleteParticipant(participantId, { by, pidKey: await deletionKey(storage), now });
}

/** The participant of a study who joined with this Prolific id; `not_found` saying which when there is none. */
export async function participantByProlificId(storage: Storage, studyId: string, prolificId: string): Promise<string> {
  const id = await storage.deletions.findParticipantIdByProlificPid(studyId, prolificId);
  if (id === null)
    throw new AppError('not_found', `no participant of this study joined with the Prolific id "${prolificId}"`);
  return id;
}
