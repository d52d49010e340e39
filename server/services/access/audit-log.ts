import type { AuditAction } from '../../../shared/schemas/study-access.ts';
import type { Storage } from '../../storage/storage.ts';
import type { ResearcherIdentity } from './study-access.ts';

/**
 * Records one audit entry for the study (docs/data-protection.md, "Researcher access"). `detail` names what the
 * action was about in words a reviewer can read — an export's table and format, a participant's pseudonym, the
 * settings fields changed, an episode id, a member's username and role — never a Prolific id or text someone typed.
 */
export async function recordAudit(
  storage: Pick<Storage, 'access'>,
  who: ResearcherIdentity,
  studyId: string,
  action: AuditAction,
  detail: string,
  now = new Date(),
): Promise<void> {
  await storage.access.recordAudit({
    studyId,
    researcherId: who.researcherId,
    username: who.username,
    action,
    detail,
    now,
  });
}
