import type { AuditAction, AuditEntry, StudyMember, StudyRole } from '../../shared/schemas/study-access.ts';
import type { Page } from './storage.ts';

export interface NewStudyMember {
  studyId: string;
  researcherId: string;
  role: StudyRole;
  /** The researcher who gives the role; null for the first account, the CLI and study creation. */
  addedBy: string | null;
  now: Date;
}

export interface NewAuditEntry {
  studyId: string;
  researcherId: string;
  username: string;
  action: AuditAction;
  /** What it was about (an export's table and format, a pseudonym, field names); never a Prolific id or typed text. */
  detail: string;
  now: Date;
}

/**
 * Researchers' roles per study and each study's audit log (docs/data-protection.md, "Researcher access"). Part of
 * `Storage` (`storage.access`). Who becomes a member when is decided by services/access; storage keeps the one rule
 * that must hold in a transaction: a study never loses its last owner. Each method is atomic.
 */
export interface StudyAccessStorage {
  /** The researcher's role in the study, or null when they have none (or the study does not exist). */
  roleOf(studyId: string, researcherId: string): Promise<StudyRole | null>;
  /** Every study the researcher has a role in, with that role. */
  rolesOf(researcherId: string): Promise<Map<string, StudyRole>>;
  /** The study's members, owners first, then by username. */
  listMembers(studyId: string): Promise<StudyMember[]>;
  /** `not_found` without such a study or researcher; `conflict` if the researcher already has a role there. */
  addMember(input: NewStudyMember): Promise<StudyMember>;
  /** `not_found` if the researcher has no role there; `conflict` if it would leave the study without an owner. */
  changeMember(studyId: string, researcherId: string, role: StudyRole): Promise<StudyMember>;
  /** `not_found` if the researcher has no role there; `conflict` if they are its last owner. */
  removeMember(studyId: string, researcherId: string): Promise<void>;
  /** Makes the researcher owner of every study that has no member at all; returns those studies' ids. */
  adoptUnclaimedStudies(researcherId: string, now: Date): Promise<string[]>;
  /** Up to `limit` researcher accounts, oldest first: who may own a study imported from the command line. */
  someResearchers(limit: number): Promise<{ id: string; username: string }[]>;
  /** The study a batch run belongs to; null for no such run, or a run the CLI made outside any study. */
  studyOfRun(runId: string): Promise<string | null>;
  /** The study an episode belongs to (its own, its run's, or its live episode's for a twin); null if none. */
  studyOfEpisode(episodeId: string): Promise<string | null>;

  recordAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** The study's audit log, newest first. */
  listAudit(studyId: string, page: { offset: number; limit: number }): Promise<Page<AuditEntry>>;
}
