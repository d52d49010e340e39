import type { Identity, ParticipantRole } from '../../shared/schemas/identity.ts';

/** A researcher account. The password hash never leaves the server. */
export interface Researcher {
  id: string;
  username: string;
  createdAt: string;
}

export interface ResearcherWithHash extends Researcher {
  /** Self-describing hash string (algorithm, parameters, salt, hash); see server/services/auth/password-hash.ts. */
  passwordHash: string;
}

export type SessionKind = 'researcher' | 'participant';

export interface NewAuthSession {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  tokenHash: string;
  kind: SessionKind;
  /** The researcher id or participant id, by kind. */
  subjectId: string;
  createdAt: string;
  expiresAt: string;
}

/** A session that is not revoked, not expired, and whose subject still exists, with who it belongs to. */
export interface ValidAuthSession extends NewAuthSession {
  identity: Identity;
}

/** The Prolific URL parameters a participant arrived with; all absent for an anonymous participant. */
export interface ProlificIds {
  prolificPid?: string;
  prolificStudyId?: string;
  prolificSessionId?: string;
}

export interface Participant extends ProlificIds {
  id: string;
  studyId: string;
  role: ParticipantRole;
  /** The invitation link the participant first joined through, if any. */
  inviteCode: string | null;
  createdAt: string;
}

/** How revoking a link treats the people who already joined through it. */
export type InviteRevokeMode = 'finish' | 'lock';

/** What a researcher sets on a link: a label for the console, and limits on who may still join through it. */
export interface InviteLimits {
  /** Free text (at most 200 characters) shown in the console; '' for none. */
  label: string;
  /** Distinct participants who may join through the link; null for no cap. Returning participants never count again. */
  maxParticipants: number | null;
  /** After this time (ISO) the link admits nobody new; null when it does not expire. */
  expiresAt: string | null;
}

export interface StudyInvite extends InviteLimits {
  /** Unguessable (128 random bits, URL-safe): knowing the code is what lets a person join. */
  code: string;
  studyId: string;
  role: ParticipantRole;
  createdAt: string;
  revoked: boolean;
  /** How the link was revoked; null while it is not. */
  revokeMode: InviteRevokeMode | null;
  /** Distinct participants who joined through the link (its use count). */
  participants: number;
  /** Of those, how many hold work in hand now: an unexpired play or rating lease. */
  midTask: number;
}

/**
 * An invite and its use count, without the mid-task count: what a join and the join page read. The mid-task count
 * probes the leases of every participant the link ever admitted, so the join path, which does not show it, skips it.
 */
export type InviteLink = Omit<StudyInvite, 'midTask'>;

/**
 * Failed sign-ins recorded for one username (compared case-insensitively), whether or not such an account exists.
 * What the numbers mean is the auth service's policy (server/services/auth/login-throttle.ts); storage keeps them.
 */
export interface LoginThrottle {
  /** Failed attempts counted since `windowStartedAt`. */
  failures: number;
  windowStartedAt: string;
  /** Attempts are refused until this time (ISO), even with the right password; null when not locked. */
  lockedUntil: string | null;
  /** How many times the username has been locked since it was last cleared (the delay grows with it). */
  lockouts: number;
  /** After this time the record no longer matters and may be forgotten. */
  expiresAt: string;
}

/**
 * Researchers, participants, their login sessions, study invitation links and app secrets. Part of `Storage`
 * (`storage.people`); every implementation must pass tests/contract/people-storage.contract.ts. Each method is atomic.
 */
export interface PeopleStorage {
  /** Creates a researcher account; `conflict` if the username is taken (usernames compare case-insensitively). */
  createResearcher(input: { username: string; passwordHash: string }): Promise<Researcher>;
  /** Case-insensitive; includes the password hash, for login. */
  findResearcherByUsername(username: string): Promise<ResearcherWithHash | null>;
  countResearchers(): Promise<number>;

  /** The throttle record of a username; null if there is none or it expired before `now`. */
  getLoginThrottle(username: string, now: Date): Promise<LoginThrottle | null>;
  /**
   * Atomically reads the username's throttle record (null if none or expired before `now`), stores what `next` returns
   * for it, and returns that. `next` must be synchronous and free of side effects: it may run inside a transaction.
   * Concurrent calls for one username (from any process) see each other's results, so none is lost. Records expired
   * before `now` of other usernames may be deleted on the way.
   */
  updateLoginThrottle(
    username: string,
    now: Date,
    next: (current: LoginThrottle | null) => LoginThrottle,
  ): Promise<LoginThrottle>;
  /** Forgets the username's failed sign-ins (after a successful one). */
  clearLoginThrottle(username: string): Promise<void>;

  createSession(session: NewAuthSession): Promise<void>;
  /** The session with this token hash if it is not revoked, `now` is before its expiry and its subject exists. */
  findValidSession(tokenHash: string, now: Date): Promise<ValidAuthSession | null>;
  /** Revokes a session (logout); revoking an unknown or already revoked session does nothing. */
  revokeSession(tokenHash: string): Promise<void>;

  /**
   * Finds the participant of a study with this Prolific PID, or creates it, atomically: any number of concurrent
   * calls with the same (study, PID) yield one participant, and exactly one of them reports `created: true`.
   * Without a PID a new anonymous participant is created every time. `not_found` if the study does not exist.
   * With `inviteCode`, a new participant is created only if that link admits one at `now` (default: the current
   * time): not revoked, not expired, and fewer participants joined through it than its cap; otherwise
   * `invalid_invite` with a message saying which. The check and the insert are one transaction, so concurrent joins
   * never take a link past its cap. A participant found by PID is returned whatever the link's state.
   */
  findOrCreateParticipant(input: {
    studyId: string;
    role: ParticipantRole;
    prolific: ProlificIds;
    inviteCode?: string;
    now?: Date;
  }): Promise<{ participant: Participant; created: boolean }>;
  getParticipant(id: string): Promise<Participant | null>;

  /**
   * Creates an invitation link for a role in a study with a fresh unguessable code; limits left out are none.
   * `not_found` if no such study.
   */
  createInvite(input: { studyId: string; role: ParticipantRole } & Partial<InviteLimits>): Promise<StudyInvite>;
  /**
   * The invite with this code, revoked or not (callers decide what a revoked invite means), with its counts at `now`
   * (default: the current time).
   */
  findInvite(code: string, now?: Date): Promise<StudyInvite | null>;
  /** The invite with this code, revoked or not, with its use count; for the join path (see InviteLink). */
  findInviteLink(code: string): Promise<InviteLink | null>;
  listInvites(studyId: string, now?: Date): Promise<StudyInvite[]>;
  /** Changes the given limits of an invite (revoked or not); null if there is no such invite. */
  updateInvite(code: string, changes: Partial<InviteLimits>): Promise<StudyInvite | null>;
  /**
   * Revokes an invite: nobody new joins through it. With 'finish' (the default), people who joined through it keep
   * their sessions and may come back; with 'lock', their participant sessions are revoked in the same transaction
   * and the token hashes of those sessions returned, so the caller can disconnect their sockets. Revoking an
   * already revoked invite again may change its mode (from 'finish' to 'lock'; never back, since sessions revoked stay
   * revoked). Unknown codes do nothing.
   */
  revokeInvite(code: string, mode?: InviteRevokeMode): Promise<{ revokedSessions: string[] }>;

  /**
   * The stored secret with this name; if there is none, stores `candidate` and returns it. Atomic: concurrent callers
   * (two processes starting at once) all get the same value.
   */
  getOrCreateAppSecret(name: string, candidate: string): Promise<string>;
}
