import type { StudyRole } from '../../shared/schemas/study-access.ts';
import type { Storage } from '../../server/storage/storage.ts';

/**
 * Gives a researcher a role in a study, as an owner sharing it would (or changes the role they have). For fixtures
 * whose studies were made through storage after the install's first account, so nobody owns them yet:
 *
 *   const researcher = await signInResearcher(t);
 *   await grantStudyRole(t.storage, studyId, researcher.researcherId, 'owner');
 */
export async function grantStudyRole(
  storage: Pick<Storage, 'access'>,
  studyId: string,
  researcherId: string,
  role: StudyRole = 'owner',
): Promise<void> {
  if ((await storage.access.roleOf(studyId, researcherId)) === null)
    await storage.access.addMember({ studyId, researcherId, role, addedBy: null, now: new Date() });
  else await storage.access.changeMember(studyId, researcherId, role);
}
