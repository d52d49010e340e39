import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import { T0, minutesAfter, settings, studyWithRecords } from '../support/study-work-fixtures.ts';

/** What this contract uses of a storage (`work` for the invite counts of people with work in hand). */
export type PeopleContractStorage = Pick<Storage, 'people' | 'work' | 'createStudy' | 'importBenchmark' | 'close'>;

/**
 * The behaviour every `Storage.people` implementation must have. Run it from one test file per implementation:
 * `peopleStorageContract('sqlite', () => SqliteStorage.open(...))`.
 */
export function peopleStorageContract(name: string, open: () => Promise<PeopleContractStorage>): void {
  describe(`PeopleStorage contract: ${name}`, () => {
    let storage: PeopleContractStorage;
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
      const { midTask: _untouched, ...link } = actor;
      expect(await storage.people.findInviteLink(actor.code)).toEqual(link);
      expect(await storage.people.findInviteLink('not-a-code')).toBeNull();
      expect((await storage.people.listInvites(studyId)).map((i) => i.code).sort()).toEqual(
        [actor.code, rater.code].sort(),
      );
      expect(actor).toMatchObject({ label: '', maxParticipants: null, expiresAt: null, participants: 0, midTask: 0 });
      expect(await storage.people.revokeInvite(actor.code)).toEqual({ revokedSessions: [] });
      expect(await storage.people.findInvite(actor.code)).toEqual({ ...actor, revoked: true, revokeMode: 'finish' });
      expect(await storage.people.findInviteLink(actor.code)).toEqual({ ...link, revoked: true, revokeMode: 'finish' });
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

    it('keeps an invite’s label, cap and expiry, and changes only the limits named', async () => {
      const invite = await storage.people.createInvite({
        studyId,
        role: 'actor',
        label: 'Prolific pilot',
        maxParticipants: 5,
        expiresAt: '2030-02-01T00:00:00.000Z',
      });
      expect(invite).toMatchObject({
        label: 'Prolific pilot',
        maxParticipants: 5,
        expiresAt: '2030-02-01T00:00:00.000Z',
      });
      expect(await storage.people.findInvite(invite.code)).toEqual(invite);

      expect(await storage.people.updateInvite(invite.code, { maxParticipants: null })).toEqual({
        ...invite,
        maxParticipants: null,
      });
      expect(await storage.people.updateInvite(invite.code, { label: 'main wave', expiresAt: null })).toEqual({
        ...invite,
        label: 'main wave',
        maxParticipants: null,
        expiresAt: null,
      });
      expect(await storage.people.updateInvite('no-such-code', { label: 'x' })).toBeNull();
    });

    it('admits new participants through a link only up to its cap, even when they join at once; returning ones always', async () => {
      const invite = await storage.people.createInvite({ studyId, role: 'actor', maxParticipants: 3 });
      const joins = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          storage.people.findOrCreateParticipant({
            studyId,
            role: 'actor',
            prolific: { prolificPid: `pid-${i}` },
            inviteCode: invite.code,
          }),
        ),
      );
      const joined = joins.flatMap((j) => (j.status === 'fulfilled' ? [j.value.participant] : []));
      expect(joined).toHaveLength(3);
      for (const j of joins) {
        if (j.status === 'rejected') {
          expect(j.reason).toMatchObject({
            code: 'invalid_invite',
            message: 'this invitation link has reached its limit of 3 participants',
            details: { reason: 'full' },
          });
        }
      }
      expect(await storage.people.findInvite(invite.code)).toMatchObject({ participants: 3 });

      // A participant who joined before comes back through the full link and is not counted again.
      const back = await storage.people.findOrCreateParticipant({
        studyId,
        role: 'actor',
        prolific: { prolificPid: joined[0]?.prolificPid ?? '' },
        inviteCode: invite.code,
      });
      expect(back).toEqual({ participant: joined[0], created: false });
      await expect(
        storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific: {}, inviteCode: invite.code }),
      ).rejects.toMatchObject({ code: 'invalid_invite' });
      expect(await storage.people.findInvite(invite.code)).toMatchObject({ participants: 3 });

      // Raising the cap admits one more.
      await storage.people.updateInvite(invite.code, { maxParticipants: 4 });
      const fourth = await storage.people.findOrCreateParticipant({
        studyId,
        role: 'actor',
        prolific: {},
        inviteCode: invite.code,
      });
      expect(fourth.created).toBe(true);
      await expect(
        storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific: {}, inviteCode: 'no-such-code' }),
      ).rejects.toMatchObject({ code: 'invalid_invite' });
    });

    it('an expired or revoked link admits nobody new, but those who joined through it come back', async () => {
      const expiring = await storage.people.createInvite({
        studyId,
        role: 'rater',
        expiresAt: '2030-01-01T12:00:00.000Z',
      });
      const join = (inviteCode: string, prolificPid: string, now: Date) =>
        storage.people.findOrCreateParticipant({ studyId, role: 'rater', prolific: { prolificPid }, inviteCode, now });
      const before = await join(expiring.code, 'early', new Date('2030-01-01T11:59:59.999Z'));
      expect(before.created).toBe(true);
      const after = new Date('2030-01-01T12:00:00.000Z');
      await expect(join(expiring.code, 'late', after)).rejects.toMatchObject({
        code: 'invalid_invite',
        message: 'this invitation link expired on 2030-01-01 12:00 UTC and takes no new participants',
        details: { reason: 'expired' },
      });
      expect(await join(expiring.code, 'early', after)).toEqual({ participant: before.participant, created: false });

      const revoked = await storage.people.createInvite({ studyId, role: 'rater' });
      const member = await join(revoked.code, 'member', T0);
      await storage.people.revokeInvite(revoked.code, 'finish');
      await expect(join(revoked.code, 'newcomer', T0)).rejects.toMatchObject({
        code: 'invalid_invite',
        details: { reason: 'withdrawn' },
      });
      expect(await join(revoked.code, 'member', T0)).toEqual({ participant: member.participant, created: false });
      expect(await storage.people.getParticipant(member.participant.id)).not.toBeNull();
    });

    it('counts the people who joined through a link and those with work in hand; a lock revokes their sessions', async () => {
      const {
        studyId: workStudy,
        problemIds: [p0 = '', p1 = ''],
      } = await studyWithRecords(storage, 'Invite counts', 2);
      await storage.work.saveSettings(workStudy, settings({ leaseMinutes: 30 }), T0, [
        { problemId: p0, model: 'model-a' },
        { problemId: p1, model: 'model-a' },
      ]);
      const invite = await storage.people.createInvite({ studyId: workStudy, role: 'actor' });
      const other = await storage.people.createInvite({ studyId: workStudy, role: 'actor' });
      const join = async (inviteCode: string) =>
        (await storage.people.findOrCreateParticipant({ studyId: workStudy, role: 'actor', prolific: {}, inviteCode }))
          .participant;
      const [busy, idle, elsewhere] = [await join(invite.code), await join(invite.code), await join(other.code)];
      await storage.work.leaseNextPlay(workStudy, busy.id, T0);
      await storage.work.leaseNextPlay(workStudy, elsewhere.id, T0);
      expect(await storage.people.findInvite(invite.code, minutesAfter(T0, 1))).toMatchObject({
        participants: 2,
        midTask: 1,
      });
      // The join path's look-up has the same invite and use count, without the mid-task count.
      const found = await storage.people.findInviteLink(invite.code);
      expect(found).toEqual({ ...invite, participants: 2, midTask: undefined });
      expect(found).not.toHaveProperty('midTask');
      // A lease past its expiry is not work in hand, even before a claim marks it expired.
      expect(await storage.people.findInvite(invite.code, minutesAfter(T0, 31))).toMatchObject({ midTask: 0 });
      const listed = await storage.people.listInvites(workStudy, minutesAfter(T0, 1));
      expect(Object.fromEntries(listed.map((i) => [i.code, [i.participants, i.midTask]]))).toEqual({
        [invite.code]: [2, 1],
        [other.code]: [1, 1],
      });

      const now = Date.now();
      const times = { createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 3_600_000).toISOString() };
      const session = (tokenHash: string, subjectId: string) =>
        storage.people.createSession({ tokenHash, kind: 'participant', subjectId, ...times });
      await session('1'.repeat(64), busy.id);
      await session('2'.repeat(64), idle.id);
      await session('3'.repeat(64), elsewhere.id);
      const { revokedSessions } = await storage.people.revokeInvite(invite.code, 'lock');
      expect(revokedSessions.sort()).toEqual(['1'.repeat(64), '2'.repeat(64)]);
      expect(await storage.people.findValidSession('1'.repeat(64), new Date())).toBeNull();
      expect(await storage.people.findValidSession('2'.repeat(64), new Date())).toBeNull();
      expect(await storage.people.findValidSession('3'.repeat(64), new Date())).not.toBeNull();
      expect(await storage.people.findInvite(invite.code)).toMatchObject({ revoked: true, revokeMode: 'lock' });
      // Locked stays locked: a later 'finish' cannot give back the sessions it revoked.
      await storage.people.revokeInvite(invite.code, 'finish');
      expect(await storage.people.findInvite(invite.code)).toMatchObject({ revokeMode: 'lock' });
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
