import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EpisodeSummary } from '../../server/storage/episode-storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { actorRatedEvent, messageEvent } from '../support/episode-events.ts';
import { T0, settings, studyWithRecords } from '../support/study-work-fixtures.ts';
import type { LiveContractStorage } from './live-storage.contract.ts';

/**
 * The live monitor's aggregate reads of LiveEpisodeStorage: `tally` (episodes by status, failures grouped, models
 * named) over every live episode of a study, and `activity` (the person's replies and the last event's time) of a set
 * of episodes. Set up through the Storage interface only, so both engines run it unchanged.
 */
export function liveMonitorContract(name: string, open: () => Promise<LiveContractStorage>): void {
  describe(`LiveEpisodeStorage monitor reads: ${name}`, () => {
    let storage: LiveContractStorage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function begin(
      studyId: string,
      id: string,
      participantId: string,
      over: Partial<EpisodeSummary> = {},
      assignmentId: string | null = `lease-${id}`,
    ) {
      await storage.live.begin({
        summary: runningEpisodeSummary(id, { userSeat: 'person', ...over }),
        studyId,
        participantId,
        assignmentId,
        spec: {},
      });
    }
    const actor = async (studyId: string): Promise<string> =>
      (await storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific: {} })).participant.id;
    const failed = (stage: string, reason: string) =>
      ({
        status: 'failed',
        weightedScore: null,
        correct: null,
        interactionTurns: null,
        failure: { stage, reason },
      }) as const;

    it('tally counts every live episode of the study by status, past the 1,000 a list returns', async () => {
      const study = await storage.createStudy({ name: 'Many' });
      const other = await storage.createStudy({ name: 'Other' });
      const person = await actor(study.id);
      const early = await actor(study.id);
      // In start order, one a second; the first two are `early`'s, older than the newest 1,000.
      const at = (i: number): string => new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString();
      for (let i = 0; i < 1003; i++) await begin(study.id, `e-${i}`, i < 2 ? early : person, { startedAt: at(i) });
      for (let i = 0; i < 5; i++)
        await storage.live.finish(`e-${i}`, {
          status: 'completed',
          weightedScore: 3,
          correct: 1,
          interactionTurns: 2,
          failure: null,
        });
      await storage.live.finish('e-5', failed('user', 'idle timeout'));
      await begin(other.id, 'other-1', await actor(other.id));
      // Neither a twin nor a batch episode is a live episode.
      await storage.live.saveTwin('e-6', { ...runningEpisodeSummary('twin-1'), status: 'completed' }, []);
      await storage.saveEpisode({ ...runningEpisodeSummary('batch-1'), status: 'completed' }, []);

      expect((await storage.live.listLive({ studyId: study.id })).length).toBe(1000);
      expect(await storage.live.countLive({ studyId: study.id })).toBe(1003);
      expect(await storage.live.countLive({ studyId: study.id, status: 'completed' })).toBe(5);
      expect(await storage.live.countLive({ studyId: study.id, participantId: early, offset: 1, limit: 1 })).toBe(2);
      // Paged: the rest past the first 1,000, a window, and never more than 1,000 at once.
      expect((await storage.live.listLive({ studyId: study.id, offset: 1000 })).length).toBe(3);
      expect((await storage.live.listLive({ studyId: study.id, offset: 998, limit: 10 })).length).toBe(5);
      expect((await storage.live.listLive({ studyId: study.id, limit: 5000 })).length).toBe(1000);
      const ids = async (filter: Parameters<LiveContractStorage['live']['listLive']>[0]): Promise<string[]> =>
        (await storage.live.listLive(filter)).map((e) => e.summary.id);
      expect(await ids({ studyId: study.id, offset: 1000 })).toEqual(['e-2', 'e-1', 'e-0']);
      // A participant's or an assignment's episodes are found however old they are.
      expect(await ids({ studyId: study.id, participantId: early })).toEqual(['e-1', 'e-0']);
      expect(await ids({ studyId: study.id, participantId: early, status: 'completed' })).toEqual(['e-1', 'e-0']);
      expect(await ids({ studyId: study.id, participantId: early, status: 'running' })).toEqual([]);
      expect(await ids({ assignmentId: 'lease-e-1' })).toEqual(['e-1']);
      expect(await ids({ studyId: other.id, participantId: early })).toEqual([]);
      const firstTwo = (await storage.live.listLive({ studyId: study.id, limit: 2 })).map((e) => e.summary.id);
      const secondOnly = (await storage.live.listLive({ studyId: study.id, offset: 1, limit: 1 })).map(
        (e) => e.summary.id,
      );
      expect(secondOnly).toEqual(firstTwo.slice(1));
      const tally = await storage.live.tally(study.id, 20);
      expect(tally.byStatus).toEqual({ running: 997, completed: 5, failed: 1 });
      expect(tally.failures).toEqual([{ stage: 'user', reason: 'idle timeout', count: 1 }]);
      expect((await storage.live.tally(other.id, 20)).byStatus).toEqual({ running: 1 });
      expect(await storage.live.tally('no-such-study', 20)).toEqual({ byStatus: {}, failures: [], models: [] });
    });

    it('tally groups failures by stage and reason, most first, ties by stage then reason, capped', async () => {
      const study = await storage.createStudy({ name: 'Failures' });
      const person = await actor(study.id);
      const ends = [
        ['user', 'idle timeout'],
        ['model', 'rate limited'],
        ['model', 'rate limited'],
        ['user', 'idle timeout'],
        ['judge', 'unparseable'],
        ['assistant', 'unparseable'],
        ['model', 'rate limited'],
      ] as const;
      for (const [i, [stage, reason]] of ends.entries()) {
        await begin(study.id, `f-${i}`, person);
        await storage.live.finish(`f-${i}`, failed(stage, reason));
      }
      const tally = await storage.live.tally(study.id, 3);
      expect(tally.byStatus).toEqual({ failed: 7 });
      expect(tally.failures).toEqual([
        { stage: 'model', reason: 'rate limited', count: 3 },
        { stage: 'user', reason: 'idle timeout', count: 2 },
        { stage: 'assistant', reason: 'unparseable', count: 1 },
      ]);
    });

    it('tally names every model of the study once, sorted, without an absent simulator', async () => {
      const study = await storage.createStudy({ name: 'Models' });
      const person = await actor(study.id);
      await begin(study.id, 'm-1', person, { assistantModel: 'mut-b', judgeModel: 'judge', simulatorModel: null });
      await begin(study.id, 'm-2', person, { assistantModel: 'mut-a', judgeModel: 'judge', simulatorModel: 'sim' });
      expect((await storage.live.tally(study.id, 20)).models).toEqual(['judge', 'mut-a', 'mut-b', 'sim']);
    });

    it("activity counts each episode's replies and gives its last event's time; no events: absent", async () => {
      const study = await storage.createStudy({ name: 'Activity' });
      const person = await actor(study.id);
      await begin(study.id, 'a-1', person);
      await begin(study.id, 'a-2', person);
      await begin(study.id, 'a-3', person);
      const events = [
        messageEvent(0, { role: 'user', kind: 'opening', at: '2030-01-01T00:00:01.000Z' }),
        messageEvent(1, { role: 'assistant', kind: 'question', at: '2030-01-01T00:00:02.000Z' }),
        messageEvent(2, { at: '2030-01-01T00:00:03.000Z' }),
        messageEvent(3, { role: 'assistant', kind: 'question', at: '2030-01-01T00:00:04.000Z' }),
        messageEvent(4, { at: '2030-01-01T00:00:05.000Z' }),
        actorRatedEvent(5, '2030-01-01T00:00:09.000Z'),
      ];
      for (const event of events) await storage.live.append('a-1', event);
      await storage.live.append(
        'a-2',
        messageEvent(0, { role: 'user', kind: 'opening', at: '2030-01-01T00:01:00.000Z' }),
      );
      const activity = await storage.live.activity(['a-1', 'a-2', 'a-3', 'no-such-episode']);
      expect([...activity.entries()].sort()).toEqual([
        ['a-1', { replies: 2, lastEventAt: '2030-01-01T00:00:09.000Z' }],
        ['a-2', { replies: 0, lastEventAt: '2030-01-01T00:01:00.000Z' }],
      ]);
      expect(await storage.live.activity([])).toEqual(new Map());
    });

    it('units: running episodes, and the newest episode of each assignment left leased with nothing running', async () => {
      const {
        studyId,
        problemIds: [p0 = ''],
      } = await studyWithRecords(storage, 'Units', 1);
      await storage.work.saveSettings(studyId, settings({ playsPerRecord: 20 }), T0, [
        { problemId: p0, model: 'model-a' },
      ]);
      const at = (i: number): string => new Date(T0.getTime() + i * 1000).toISOString();
      const lease = async (): Promise<{ person: string; assignment: string }> => {
        const person = await actor(studyId);
        const claim = await storage.work.leaseNextPlay(studyId, person, T0);
        if (claim.kind !== 'leased') throw new Error(`no lease: ${claim.reason}`);
        return { person, assignment: claim.lease.id };
      };
      const ended = {
        status: 'aborted',
        weightedScore: null,
        correct: null,
        interactionTurns: null,
        failure: null,
      } as const;
      // Left: the oldest episode of the study, its assignment still leased, then 1,000 newer ended episodes of others.
      const left = await lease();
      await begin(studyId, 'left', left.person, { startedAt: at(0) }, left.assignment);
      await storage.live.finish('left', ended);
      const crowd = await actor(studyId);
      for (let i = 0; i < 1000; i++) {
        await begin(studyId, `old-${i}`, crowd, { startedAt: at(1 + i) });
        await storage.live.finish(`old-${i}`, ended);
      }
      // Playing: the newest episode runs on the assignment; the one it left before is not listed.
      const playing = await lease();
      await begin(studyId, 'playing-1', playing.person, { startedAt: at(2000) }, playing.assignment);
      await storage.live.finish('playing-1', ended);
      await begin(studyId, 'playing-2', playing.person, { startedAt: at(2001) }, playing.assignment);
      // Twice left: only the newest of its episodes is listed.
      const twice = await lease();
      await begin(studyId, 'twice-1', twice.person, { startedAt: at(2002) }, twice.assignment);
      await storage.live.finish('twice-1', ended);
      await begin(studyId, 'twice-2', twice.person, { startedAt: at(2003) }, twice.assignment);
      await storage.live.finish('twice-2', ended);
      // Given back: the unit is no longer held. Leased without an episode: nothing to list.
      const done = await lease();
      await begin(studyId, 'done', done.person, { startedAt: at(2004) }, done.assignment);
      await storage.live.finish('done', ended);
      await storage.work.endPlayLease(done.assignment, 'completed', T0);
      await lease();
      // A running episode without an assignment is a unit too; another study's is not.
      await begin(studyId, 'unassigned', crowd, { startedAt: at(2005) }, null);
      const other = await storage.createStudy({ name: 'Other units' });
      await begin(other.id, 'elsewhere', await actor(other.id), { startedAt: at(2006) });

      const ids = async (offset: number, limit: number) => {
        const { total, episodes } = await storage.live.units(studyId, { offset, limit });
        return { total, ids: episodes.map((e) => e.summary.id) };
      };
      expect(await ids(0, 25)).toEqual({ total: 4, ids: ['unassigned', 'twice-2', 'playing-2', 'left'] });
      expect(await ids(1, 2)).toEqual({ total: 4, ids: ['twice-2', 'playing-2'] });
      expect(await ids(4, 25)).toEqual({ total: 4, ids: [] });
      const [unit] = (await storage.live.units(studyId, { offset: 3, limit: 1 })).episodes;
      expect(unit).toMatchObject({ studyId, participantId: left.person, assignmentId: left.assignment });
      expect(unit?.summary.status).toBe('aborted');
      // Released, the left unit is no longer held.
      await storage.work.endPlayLease(left.assignment, 'released', T0);
      expect(await ids(0, 25)).toEqual({ total: 3, ids: ['unassigned', 'twice-2', 'playing-2'] });
      expect(await storage.live.units('no-such-study', { offset: 0, limit: 25 })).toEqual({ total: 0, episodes: [] });
    });
  });
}
