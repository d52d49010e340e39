import { AppError } from '../../../shared/errors.ts';
import type { StudyMember, StudyRole } from '../../../shared/schemas/study-access.ts';
import type { Storage } from '../../storage/storage.ts';
import { recordAudit } from './audit-log.ts';
import type { ResearcherIdentity } from './study-access.ts';

type Stores = Pick<Storage, 'access' | 'people'>;

/** Gives an existing account a role in the study (`not_found` for an unknown username, `conflict` if it has one). */
export async function addStudyMember(
  storage: Stores,
  who: ResearcherIdentity,
  studyId: string,
  input: { username: string; role: StudyRole },
): Promise<StudyMember> {
  const researcher = await storage.people.findResearcherByUsername(input.username.trim());
  if (!researcher) throw new AppError('not_found', `no researcher account is named "${input.username}"`);
  const member = await storage.access.addMember({
    studyId,
    researcherId: researcher.id,
    role: input.role,
    addedBy: who.researcherId === '' ? null : who.researcherId,
    now: new Date(),
  });
  await recordAudit(storage, who, studyId, 'add_member', `${member.username} as ${member.role}`);
  return member;
}

/** Changes a member's role; the last owner stays owner (`conflict`). */
export async function changeStudyMember(
  storage: Stores,
  who: ResearcherIdentity,
  studyId: string,
  researcherId: string,
  role: StudyRole,
): Promise<StudyMember> {
  const before = await storage.access.roleOf(studyId, researcherId);
  const member = await storage.access.changeMember(studyId, researcherId, role);
  if (before !== role)
    await recordAudit(storage, who, studyId, 'change_member', `${member.username}: ${before ?? '?'} → ${role}`);
  return member;
}

/** Removes a member's role; the last owner cannot be removed (`conflict`). */
export async function removeStudyMember(
  storage: Stores,
  who: ResearcherIdentity,
  studyId: string,
  researcherId: string,
): Promise<void> {
  const member = (await storage.access.listMembers(studyId)).find((m) => m.researcherId === researcherId);
  if (!member) throw new AppError('not_found', 'this researcher has no role in the study');
  await storage.access.removeMember(studyId, researcherId);
  await recordAudit(storage, who, studyId, 'remove_member', `${member.username} (was ${member.role})`);
}

/** Who the audit log names for changes made with `prefdisco studies share` on the server's machine. */
export const CLI_ACTOR: ResearcherIdentity = { researcherId: '', username: 'prefdisco studies share' };

/** Gives an account a role from the command line, or changes the one it has (the last owner stays owner). */
export async function shareStudyFromCli(
  storage: Stores,
  studyId: string,
  username: string,
  role: StudyRole,
): Promise<{ member: StudyMember; before: StudyRole | null }> {
  const researcher = await storage.people.findResearcherByUsername(username.trim());
  if (!researcher) throw new AppError('not_found', `no researcher account is named "${username}"`);
  const before = await storage.access.roleOf(studyId, researcher.id);
  const member =
    before === null
      ? await addStudyMember(storage, CLI_ACTOR, studyId, { username: researcher.username, role })
      : await changeStudyMember(storage, CLI_ACTOR, studyId, researcher.id, role);
  return { member, before };
}
