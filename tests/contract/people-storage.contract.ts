import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';

/**
 * The behaviour every `Storage.people` implementation must have. Run it from one test file per implementation:
 * `peopleStorageContract('sqlite', () => SqliteStorage.open(...))`.
 */
export function peopleStorageContract(name: string, open: () => Promise<Storage>): void {
  describe(`PeopleStorage contract: ${name}`, () => {
    let storage: Storage;
    let studyId: string;
    beforeEach(async () => {
      storage = await open();
      studyId = (await storage.createStudy({ name: 'People' })).id;
    });
    afterEach(async () => {
      await storage.close();
    });

    it('creates researchers; usernames are unique regardless of case', async () => {
      expect(await storage.people.countResearchers()).toBe(0);
      const alice = await storage.people.createResearcher({ username: 'Alice', passwordHash: 'scrypt$h1' });
      expect(alice).toMatchObject({ username: 'Alice' });
      expect(await storage.people.findResearcherByUsername('alice')).toEqual({ ...alice, passwordHash: 'scrypt$h1' });
      await expect(storage.people.createResearcher({ username: 'ALICE', passwordHash: 'x' })).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await storage.people.findResearcherByUsername('bob')).toBeNull();
      expect(await storage.people.countResearchers()).toBe(1);
    });

    it('finds a session only while it is unrevoked and unexpired, with its identity', async () => {
      const alice = await storage.people.createResearcher({ username: 'alice', passwordHash: 'h' });
      const session = {
        tokenHash: 'a'.repeat(64),
        kind: 'researcher' as const,
        subjectId: alice.id,
        createdAt: '2030-01-01T00:00:00.000Z',
        expiresAt: '2030-01-31T00:00:00.000Z',
      };
      await storage.people.createSession(session);
      const found = await storage.people.findValidSession(session.tokenHash, new Date('2030-01-15T00:00:00Z'));
      expect(found).toEqual({
        ...session,
        identity: { kind: 'researcher', researcherId: alice.id, username: 'alice' },
      });
      expect(await storage.people.findValidSession(session.tokenHash, new Date('2030-01-31T00:00:00Z'))).toBeNull();
      expect(await storage.people.findValidSession('b'.repeat(64), new Date('2030-01-15T00:00:00Z'))).toBeNull();
      await storage.people.revokeSession(session.tokenHash);
      await storage.people.revokeSession('unknown');
      expect(await storage.people.findValidSession(session.tokenHash, new Date('2030-01-15T00:00:00Z'))).toBeNull();
    });

    it('a participant session carries the study and role; a session of a missing subject is not valid', async () => {
      const { participant } = await storage.people.findOrCreateParticipant({ studyId, role: 'rater', prolific: {} });
      const times = { createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() };
      await storage.people.createSession({
        tokenHash: 'c'.repeat(64),
        kind: 'participant',
        subjectId: participant.id,
        ...times,
      });
      await storage.people.createSession({
        tokenHash: 'd'.repeat(64),
        kind: 'participant',
        subjectId: 'no-such-participant',
        ...times,
      });
      expect((await storage.people.findValidSession('c'.repeat(64), new Date()))?.identity).toEqual({
        kind: 'participant',
        participantId: participant.id,
        studyId,
        role: 'rater',
      });
      expect(await storage.people.findValidSession('d'.repeat(64), new Date())).toBeNull();
    });

    it('one participant per (study, Prolific PID), even for concurrent joins', async () => {
      const prolific = { prolificPid: '5f0c0ffee0c0ffee0c0ffee0', prolificStudyId: 'S1', prolificSessionId: 'X1' };
      const results = await Promise.all(
        Array.from({ length: 8 }, () => storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific })),
      );
      expect(new Set(results.map((r) => r.participant.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]?.participant).toMatchObject({ studyId, role: 'actor', ...prolific, inviteCode: null });
      expect(await storage.people.getParticipant(results[0]?.participant.id ?? '')).toEqual(results[0]?.participant);

      const other = await storage.createStudy({ name: 'Other' });
      const elsewhere = await storage.people.findOrCreateParticipant({ studyId: other.id, role: 'actor', prolific });
      expect(elsewhere.created).toBe(true);
      expect(elsewhere.participant.id).not.toBe(results[0]?.participant.id);
    });

    it('anonymous participants are new every time; an unknown study is not_found', async () => {
      const a = await storage.people.findOrCreateParticipant({ studyId, role: 'rater', prolific: {} });
      const b = await storage.people.findOrCreateParticipant({ studyId, role: 'rater', prolific: {} });
      expect(a.created && b.created).toBe(true);
      expect(a.participant.id).not.toBe(b.participant.id);
      expect(a.participant.prolificPid).toBeUndefined();
      expect(await storage.people.getParticipant('nobody')).toBeNull();
      await expect(
        storage.people.findOrCreateParticipant({ studyId: 'nope', role: 'rater', prolific: {} }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('creates unguessable invites, finds, lists and revokes them', async () => {
      const actor = await storage.people.createInvite({ studyId, role: 'actor' });
      const rater = await storage.people.createInvite({ studyId, role: 'rater' });
      expect(actor.code).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(actor.code).not.toBe(rater.code);
      expect(actor).toMatchObject({ studyId, role: 'actor', revoked: false });
      expect(await storage.people.findInvite(actor.code)).toEqual(actor);
      expect(await storage.people.findInvite('not-a-code')).toBeNull();
      expect((await storage.people.listInvites(studyId)).map((i) => i.code).sort()).toEqual(
        [actor.code, rater.code].sort(),
      );
      await storage.people.revokeInvite(actor.code);
      expect(await storage.people.findInvite(actor.code)).toEqual({ ...actor, revoked: true });
      await expect(storage.people.createInvite({ studyId: 'nope', role: 'actor' })).rejects.toMatchObject({
        code: 'not_found',
      });

      const joined = await storage.people.findOrCreateParticipant({
        studyId,
        role: 'rater',
        prolific: {},
        inviteCode: rater.code,
      });
      expect(joined.participant.inviteCode).toBe(rater.code);
    });

    it('keeps the first app secret; later candidates do not replace it', async () => {
      const [a, b] = await Promise.all([
        storage.people.getOrCreateAppSecret('cookie-signing', 'first'),
        storage.people.getOrCreateAppSecret('cookie-signing', 'second'),
      ]);
      expect([a, b]).toEqual(['first', 'first']);
      expect(await storage.people.getOrCreateAppSecret('cookie-signing', 'third')).toBe('first');
      expect(await storage.people.getOrCreateAppSecret('other', 'x')).toBe('x');
    });

    it('keeps login throttle records per username (any case), applies updates atomically, and forgets expired ones', async () => {
      const now = new Date('2030-03-01T10:00:00.000Z');
      const record = (failures: number, expiresAt = '2030-03-01T10:15:00.000Z') => ({
        failures,
        windowStartedAt: now.toISOString(),
        lockedUntil: null,
        lockouts: 0,
        expiresAt,
      });
      expect(await storage.people.getLoginThrottle('alice', now)).toBeNull();
      const seen: (number | null)[] = [];
      // Concurrent updates each see the one before: none is lost.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          storage.people.updateLoginThrottle('alice', now, (current) => {
            seen.push(current?.failures ?? null);
            return record((current?.failures ?? 0) + 1);
          }),
        ),
      );
      expect(seen).toEqual([null, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await storage.people.getLoginThrottle('ALICE', now)).toEqual(record(10));
      const locked = { ...record(11), lockedUntil: '2030-03-01T10:01:00.000Z', lockouts: 1 };
      expect(await storage.people.updateLoginThrottle('Alice', now, () => locked)).toEqual(locked);
      expect(await storage.people.getLoginThrottle('alice', now)).toEqual(locked);

      // Past its expiry a record reads as none, and is handed to `next` as none.
      const later = new Date('2030-03-01T10:15:00.000Z');
      expect(await storage.people.getLoginThrottle('alice', later)).toBeNull();
      let handed: unknown = 'not called';
      await storage.people.updateLoginThrottle('alice', later, (current) => {
        handed = current;
        return record(1, '2030-03-01T10:30:00.000Z');
      });
      expect(handed).toBeNull();

      await storage.people.updateLoginThrottle('bob', now, () => record(2));
      await storage.people.clearLoginThrottle('ALICE');
      expect(await storage.people.getLoginThrottle('alice', now)).toBeNull();
      expect(await storage.people.getLoginThrottle('bob', now)).toEqual(record(2));
    });
  });
}
