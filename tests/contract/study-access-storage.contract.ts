import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { T0, minutesAfter } from '../support/study-work-fixtures.ts';

/** What this contract uses of a storage (`live` and `research` to find the study of live episodes and runs). */
export type StudyAccessContractStorage = Pick<
  Storage,
  'access' | 'people' | 'live' | 'research' | 'createStudy' | 'createRun' | 'saveEpisode' | 'close'
>;

/**
 * The behaviour every StudyAccessStorage (`storage.access`) must have: researchers' roles per study, the one rule a
 * store keeps itself (a study never loses its last owner), adopting studies nobody owns, which study a run or episode
 * belongs to, and the audit log.
 */
export function studyAccessContract(name: string, open: () => Promise<StudyAccessContractStorage>): void {
  describe(`StudyAccessStorage contract: ${name}`, () => {
    let storage: StudyAccessContractStorage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function researcher(username: string): Promise<string> {
      return (await storage.people.createResearcher({ username, passwordHash: 'hash' })).id;
    }

    it('adds members with their role; lists owners first, then by username; reads roles both ways', async () => {
      const study = await storage.createStudy({ name: 'Shared' });
      const other = await storage.createStudy({ name: 'Other' });
      const owner = await researcher('zoe');
      const bob = await researcher('bob');
      const amy = await researcher('amy');
      const added = await storage.access.addMember({
        studyId: study.id,
        researcherId: owner,
        role: 'owner',
        addedBy: null,
        now: T0,
      });
      expect(added).toEqual({
        researcherId: owner,
        username: 'zoe',
        role: 'owner',
        addedAt: T0.toISOString(),
        addedBy: null,
      });
      for (const [id, role] of [
        [bob, 'viewer'],
        [amy, 'viewer'],
      ] as const) {
        await storage.access.addMember({ studyId: study.id, researcherId: id, role, addedBy: owner, now: T0 });
      }
      await storage.access.addMember({
        studyId: other.id,
        researcherId: bob,
        role: 'collaborator',
        addedBy: null,
        now: T0,
      });
      expect((await storage.access.listMembers(study.id)).map((m) => [m.username, m.role, m.addedBy])).toEqual([
        ['zoe', 'owner', null],
        ['amy', 'viewer', owner],
        ['bob', 'viewer', owner],
      ]);
      expect(await storage.access.roleOf(study.id, bob)).toBe('viewer');
      expect(await storage.access.roleOf(study.id, 'no-such-researcher')).toBeNull();
      expect(await storage.access.roleOf('no-such-study', bob)).toBeNull();
      expect(Object.fromEntries(await storage.access.rolesOf(bob))).toEqual({
        [study.id]: 'viewer',
        [other.id]: 'collaborator',
      });
      expect((await storage.access.rolesOf('no-such-researcher')).size).toBe(0);
    });

    it('refuses a second role, an unknown study or researcher, storing nothing', async () => {
      const study = await storage.createStudy({ name: 'Refusals' });
      const ann = await researcher('ann');
      const member = { studyId: study.id, researcherId: ann, role: 'viewer' as const, addedBy: null, now: T0 };
      await storage.access.addMember(member);
      await expect(storage.access.addMember({ ...member, role: 'owner' })).rejects.toMatchObject({ code: 'conflict' });
      await expect(storage.access.addMember({ ...member, studyId: 'no-such-study' })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(storage.access.addMember({ ...member, researcherId: 'nobody' })).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(await storage.access.listMembers(study.id)).toMatchObject([{ researcherId: ann, role: 'viewer' }]);
      expect((await storage.access.rolesOf('nobody')).size).toBe(0);
    });

    it('changes and removes roles, but never leaves a study without an owner', async () => {
      const study = await storage.createStudy({ name: 'Owners' });
      const [a, b] = [await researcher('a'), await researcher('b')];
      for (const id of [a, b]) {
        await storage.access.addMember({ studyId: study.id, researcherId: id, role: 'viewer', addedBy: null, now: T0 });
      }
      await storage.access.changeMember(study.id, a, 'owner');
      await expect(storage.access.changeMember(study.id, a, 'collaborator')).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(storage.access.removeMember(study.id, a)).rejects.toMatchObject({ code: 'conflict' });
      expect(await storage.access.roleOf(study.id, a)).toBe('owner');
      // With a second owner, the first may step down and leave.
      expect(await storage.access.changeMember(study.id, b, 'owner')).toMatchObject({ researcherId: b, role: 'owner' });
      expect(await storage.access.changeMember(study.id, a, 'collaborator')).toMatchObject({ role: 'collaborator' });
      await storage.access.removeMember(study.id, a);
      expect(await storage.access.roleOf(study.id, a)).toBeNull();
      await expect(storage.access.removeMember(study.id, a)).rejects.toMatchObject({ code: 'not_found' });
      await expect(storage.access.changeMember(study.id, a, 'viewer')).rejects.toMatchObject({ code: 'not_found' });
      expect((await storage.access.listMembers(study.id)).map((m) => m.researcherId)).toEqual([b]);
    });

    it('adopts only studies without any member; lists the oldest researchers first', async () => {
      const claimed = await storage.createStudy({ name: 'Claimed' });
      const loose = await storage.createStudy({ name: 'Loose' });
      const first = await researcher('first');
      // Distinct creation times, without relying on a clock's resolution: "oldest first" must be decidable.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await researcher('second');
      await storage.access.addMember({
        studyId: claimed.id,
        researcherId: first,
        role: 'viewer',
        addedBy: null,
        now: T0,
      });
      expect(await storage.access.adoptUnclaimedStudies(second, T0)).toEqual([loose.id]);
      expect(await storage.access.roleOf(loose.id, second)).toBe('owner');
      expect(await storage.access.roleOf(claimed.id, second)).toBeNull();
      expect(await storage.access.adoptUnclaimedStudies(first, T0)).toEqual([]);
      expect(await storage.access.someResearchers(1)).toEqual([{ id: first, username: 'first' }]);
      expect((await storage.access.someResearchers(5)).map((r) => r.username)).toEqual(['first', 'second']);
    });

    it('finds the study of a run and of batch, live and twin episodes', async () => {
      const study = await storage.createStudy({ name: 'Owner of things' });
      await storage.research.createStudyRun({
        id: 'run-1',
        studyId: study.id,
        benchmarkSha256: 'sha',
        outPath: '/results/run-1.jsonl',
        options: {
          model: 'm',
          judge: 'j',
          simulator: 'j',
          modes: ['infer_persona'],
          userTypes: ['passive_nostop'],
          maxTurns: 5,
          fixedQuestions: null,
          maxProblems: null,
          seed: 1,
        },
      });
      const cli = await storage.createRun({
        benchmarkPath: 'b.jsonl',
        benchmarkSha256: null,
        outPath: null,
        options: {},
      });
      const { participant } = await storage.people.findOrCreateParticipant({
        studyId: study.id,
        role: 'actor',
        prolific: {},
      });
      const done = { status: 'completed' as const };
      await storage.saveEpisode({ ...runningEpisodeSummary('batch-1', { runId: 'run-1' }), ...done }, []);
      await storage.saveEpisode({ ...runningEpisodeSummary('cli-1', { runId: cli.id }), ...done }, []);
      await storage.live.begin({
        summary: runningEpisodeSummary('live-1', { userSeat: 'person' }),
        studyId: study.id,
        participantId: participant.id,
        assignmentId: null,
        spec: {},
      });
      await storage.live.beginTwin('live-1', runningEpisodeSummary('twin-1'));
      expect(await storage.access.studyOfRun('run-1')).toBe(study.id);
      expect(await storage.access.studyOfRun(cli.id)).toBeNull();
      expect(await storage.access.studyOfRun('no-such-run')).toBeNull();
      for (const id of ['batch-1', 'live-1', 'twin-1']) expect(await storage.access.studyOfEpisode(id)).toBe(study.id);
      expect(await storage.access.studyOfEpisode('cli-1')).toBeNull();
      expect(await storage.access.studyOfEpisode('no-such-episode')).toBeNull();
    });

    it('records audit entries and lists a study’s log newest first, a page at a time', async () => {
      const study = await storage.createStudy({ name: 'Audited' });
      const other = await storage.createStudy({ name: 'Quiet' });
      const who = await researcher('auditor');
      const actions = ['export', 'open_transcript', 'change_settings'] as const;
      const entries = [];
      for (const [i, action] of actions.entries()) {
        const now = minutesAfter(T0, i);
        const entry = await storage.access.recordAudit({
          studyId: study.id,
          researcherId: who,
          username: 'auditor',
          action,
          detail: `detail ${i}`,
          now,
        });
        expect(entry).toMatchObject({ at: now.toISOString(), researcherId: who, username: 'auditor', action });
        entries.push(entry);
      }
      expect(await storage.access.listAudit(study.id, { offset: 0, limit: 10 })).toEqual({
        total: 3,
        items: [...entries].reverse(),
      });
      expect(await storage.access.listAudit(study.id, { offset: 1, limit: 1 })).toEqual({
        total: 3,
        items: [entries[1]],
      });
      expect(await storage.access.listAudit(other.id, { offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
    });
  });
}
