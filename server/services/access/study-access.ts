import { AppError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import { roleAllows, type StudyAccess, type StudyRole } from '../../../shared/schemas/study-access.ts';
import type { StudySummary } from '../../../shared/schemas/study.ts';
import type { Storage } from '../../storage/storage.ts';

/** A signed-in researcher, as the access checks need them. */
export interface ResearcherIdentity {
  researcherId: string;
  username: string;
}

const ROLE_FOR: Record<StudyAccess, StudyRole> = { view: 'viewer', work: 'collaborator', manage: 'owner' };

/** The researcher behind an identity; `unauthenticated` / `forbidden` for anyone else. */
export function researcherOf(identity: Identity | null | undefined): ResearcherIdentity {
  if (!identity) throw new AppError('unauthenticated', 'log in first');
  if (identity.kind !== 'researcher') throw new AppError('forbidden', 'researchers only');
  return { researcherId: identity.researcherId, username: identity.username };
}

/**
 * Checks that the researcher's role in the study grants `access` and returns the role. Without a role the study is
 * `not_found`, worded as for a study that does not exist, so a researcher cannot learn which studies others run; a
 * role too small is `forbidden`, naming the role needed.
 */
export async function requireStudyAccess(
  storage: Pick<Storage, 'access'>,
  researcherId: string,
  studyId: string | null,
  access: StudyAccess,
): Promise<StudyRole> {
  const role = studyId === null ? null : await storage.access.roleOf(studyId, researcherId);
  if (!role) throw new AppError('not_found', 'no such study');
  if (!roleAllows(role, access)) {
    const needed = ROLE_FOR[access];
    throw new AppError(
      'forbidden',
      `this needs the ${needed} role in the study${needed === 'owner' ? '' : ' or more'}`,
    );
  }
  return role;
}

/** The studies the researcher has a role in, with that role, in the storage's order. */
export async function studiesOf(
  storage: Pick<Storage, 'access' | 'listStudies'>,
  researcherId: string,
): Promise<StudySummary[]> {
  const roles = await storage.access.rolesOf(researcherId);
  const studies = await storage.listStudies();
  return studies.flatMap((study) => {
    const myRole = roles.get(study.id);
    return myRole ? [{ ...study, myRole }] : [];
  });
}

/**
 * Makes `researcherId` owner of a study just created or imported for them, unless it has members already (an import
 * into an existing study changes nobody's role).
 */
export async function ownNewStudy(
  storage: Pick<Storage, 'access'>,
  studyId: string,
  researcherId: string,
  now = new Date(),
): Promise<void> {
  if ((await storage.access.listMembers(studyId)).length > 0) return;
  try {
    await storage.access.addMember({ studyId, researcherId, role: 'owner', addedBy: null, now });
  } catch (error) {
    // Another request gave the new study its owner first.
    if (!(error instanceof AppError && error.code === 'conflict')) throw error;
  }
}
