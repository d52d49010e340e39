import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EpisodeSummary } from '../../server/storage/episode-storage.ts';
import type { LiveEpisodeInfo } from '../../server/storage/live-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { actorRatedEvent, completedEvent, messageEvent } from '../support/episode-events.ts';
import { liveFencingContract } from './live-fencing.contract.ts';
import { liveMonitorContract } from './live-monitor.contract.ts';

/** What this contract uses of a storage. */
export type LiveContractStorage = Pick<
  Storage,
  'live' | 'nodes' | 'people' | 'work' | 'createStudy' | 'importBenchmark' | 'getEpisode' | 'saveEpisode' | 'close'
>;

/**
 * The behaviour every LiveEpisodeStorage (`storage.live`) must have: live episodes begun, appended to event by event
 * (acks, idempotent resends, refusals that store nothing), finished, found per participant, and their simulated twins.
 * Everything is set up through the Storage interface, so a second implementation runs it unchanged.
 */
export function liveStorageContract(name: string, open: () => Promise<LiveContractStorage>): void {
  liveFencingContract(name, open);
  liveMonitorContract(name, open);
  describe(`LiveEpisodeStorage contract: ${name}`, () => {
    let storage: LiveContractStorage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function actor(studyId: string): Promise<string> {
      const { participant } = await storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific: {} });
      return participant.id;
    }

    /** Begins a live episode of a new participant (or the given one) and returns what was stored. */
    async function begin(studyId: string, id: string, over: { participantId?: string } = {}): Promise<LiveEpisodeInfo> {
      const info: LiveEpisodeInfo = {
        summary: runningEpisodeSummary(id, { userSeat: 'person' }),
        studyId,
        participantId: over.participantId ?? (await actor(studyId)),
        assignmentId: `lease-${id}`,
        spec: { maxTurns: 5, fixedQuestions: null, referenceQuirks: false },
      };
      await storage.live.begin(info);
      return info;
    }

    const ended = (status: EpisodeSummary['status']) =>
      ({ status, weightedScore: null, correct: null, interactionTurns: null, failure: null }) as const;

    it('begin stores a running live episode that get returns whole; other ids are null', async () => {
      const study = await storage.createStudy({ name: 'Live' });
      const info = await begin(study.id, 'live-1');
      expect(await storage.live.get('live-1')).toEqual(info);
      expect(await storage.live.get('no-such-episode')).toBeNull();
      // A batch episode is not a live one.
      await storage.saveEpisode({ ...runningEpisodeSummary('batch-1'), status: 'completed' }, []);
      expect(await storage.live.get('batch-1')).toBeNull();
      expect(await storage.live.sourceParticipantOf('live-1')).toBe(info.participantId);
      expect(await storage.live.sourceParticipantOf('batch-1')).toBeNull();
      expect(await storage.live.sourceParticipantOf('no-such-episode')).toBeNull();
    });

    it('append stores events in order and acks each seq; eventsAfter pages from a seq', async () => {
      const study = await storage.createStudy({ name: 'Append' });
      await begin(study.id, 'live-1');
      const events = [0, 1, 2, 3].map((seq) => messageEvent(seq, { content: `message ${seq}` }));
      for (const event of events) {
        expect(await storage.live.append('live-1', event)).toEqual({ seq: event.seq, duplicate: false });
      }
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual(events);
      expect(await storage.live.eventsAfter('live-1', 1)).toEqual(events.slice(2));
      expect(await storage.live.eventsAfter('live-1', 3)).toEqual([]);
      expect(await storage.live.eventsAfter('no-such-episode', -1)).toEqual([]);
      // The same events are the episode's log as every other reader sees it.
      expect((await storage.getEpisode('live-1'))?.events).toEqual(events);
    });

    it('a repeated clientMessageId is a duplicate with the first seq and stores nothing', async () => {
      const study = await storage.createStudy({ name: 'Resend' });
      await begin(study.id, 'live-1');
      await begin(study.id, 'live-2');
      await storage.live.append('live-1', messageEvent(0, { kind: 'opening', role: 'user' }));
      const reply = messageEvent(1, { clientMessageId: 'browser-a' });
      expect(await storage.live.append('live-1', reply)).toEqual({ seq: 1, duplicate: false });
      // The browser resends after the server moved on: the resend keeps seq 1, even though it asks for 2.
      const resend = messageEvent(2, { clientMessageId: 'browser-a', content: 'resent' });
      expect(await storage.live.append('live-1', resend)).toEqual({ seq: 1, duplicate: true });
      expect(await storage.live.eventsAfter('live-1', -1)).toHaveLength(2);
      expect(await storage.live.eventsAfter('live-1', 0)).toEqual([reply]);
      expect(await storage.live.findClientMessage('live-1', 'browser-a')).toBe(1);
      expect(await storage.live.findClientMessage('live-1', 'browser-b')).toBeNull();
      // Client ids are per episode: another episode may use the same one.
      expect(await storage.live.findClientMessage('live-2', 'browser-a')).toBeNull();
      expect(await storage.live.append('live-2', messageEvent(0, { clientMessageId: 'browser-a' }))).toEqual({
        seq: 0,
        duplicate: false,
      });
      expect(await storage.live.findClientMessage('live-2', 'browser-a')).toBe(0);
    });

    it('a taken seq or an unknown episode is a conflict that stores nothing, also among concurrent appends', async () => {
      const study = await storage.createStudy({ name: 'Conflict' });
      await begin(study.id, 'live-1');
      await begin(study.id, 'live-2');
      const first = messageEvent(0, { clientMessageId: 'c-0' });
      await storage.live.append('live-1', first);
      const taken = messageEvent(0, { content: 'other', clientMessageId: 'c-1' });
      await expect(storage.live.append('live-1', taken)).rejects.toMatchObject({ code: 'conflict' });
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual([first]);
      // The refused event's client id was not kept either: a retry with a free seq is stored.
      expect(await storage.live.findClientMessage('live-1', 'c-1')).toBeNull();
      expect(await storage.live.append('live-1', { ...taken, seq: 1 })).toEqual({ seq: 1, duplicate: false });
      await expect(storage.live.append('no-such-episode', messageEvent(0))).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await storage.live.eventsAfter('no-such-episode', -1)).toEqual([]);

      // Appends made at the same moment (many live episodes at once): the failing one fails alone.
      const results = await Promise.allSettled([
        storage.live.append('live-1', messageEvent(2)),
        storage.live.append('live-1', messageEvent(0, { content: 'late' })),
        storage.live.append('live-2', messageEvent(0)),
        storage.live.append('no-such-episode', messageEvent(0)),
        storage.live.append('live-2', messageEvent(1)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      expect(results[1]).toMatchObject({ reason: { code: 'conflict' } });
      expect((await storage.live.eventsAfter('live-1', -1)).map((e) => e.seq)).toEqual([0, 1, 2]);
      expect(await storage.live.eventsAfter('live-2', -1)).toEqual([messageEvent(0), messageEvent(1)]);
    });

    it('finish sets status, score, correctness, turns, failure and the end time', async () => {
      const study = await storage.createStudy({ name: 'Finish' });
      await begin(study.id, 'live-1');
      await begin(study.id, 'live-2');
      await storage.live.finish('live-1', {
        status: 'completed',
        weightedScore: 3.5,
        correct: 1,
        interactionTurns: 2,
        failure: null,
      });
      const done = await storage.live.get('live-1');
      expect(done?.summary).toMatchObject({
        status: 'completed',
        weightedScore: 3.5,
        correct: 1,
        interactionTurns: 2,
        failure: null,
      });
      expect(Date.parse(done?.summary.endedAt ?? '')).not.toBeNaN();
      await storage.live.finish('live-2', { ...ended('failed'), failure: { stage: 'user', reason: 'idle timeout' } });
      expect((await storage.getEpisode('live-2'))?.summary).toMatchObject({
        status: 'failed',
        weightedScore: null,
        correct: null,
        failure: { stage: 'user', reason: 'idle timeout' },
      });
    });

    it('running, runningFor and awaitingRatingFor follow status and the actor rating', async () => {
      const study = await storage.createStudy({ name: 'Running' });
      const alice = await actor(study.id);
      const bob = await actor(study.id);
      await begin(study.id, 'alice-1', { participantId: alice });
      await begin(study.id, 'bob-1', { participantId: bob });
      await storage.saveEpisode({ ...runningEpisodeSummary('batch-1'), status: 'completed' }, []);
      const ids = async (): Promise<string[]> => (await storage.live.running()).map((i) => i.summary.id).sort();
      expect(await ids()).toEqual(['alice-1', 'bob-1']);
      expect(await storage.live.runningFor(alice)).toBe('alice-1');
      expect(await storage.live.awaitingRatingFor(alice)).toBeNull();
      expect(await storage.live.runningFor('nobody')).toBeNull();

      // Alice's episode ends: no longer running, waiting for her rating until she gives it.
      await storage.live.append('alice-1', completedEvent(0));
      await storage.live.finish('alice-1', { ...ended('completed'), weightedScore: 3.5, correct: 1 });
      expect(await ids()).toEqual(['bob-1']);
      expect(await storage.live.runningFor(alice)).toBeNull();
      expect(await storage.live.awaitingRatingFor(alice)).toBe('alice-1');
      await storage.live.append('alice-1', actorRatedEvent(1));
      expect(await storage.live.awaitingRatingFor(alice)).toBeNull();

      // Bob rates while his episode still runs (its twin is slow): it is over for him, though still running.
      await storage.live.append('bob-1', actorRatedEvent(0));
      expect(await storage.live.runningFor(bob)).toBeNull();
      expect(await ids()).toEqual(['bob-1']);
      // A failed or aborted episode is not waiting for a rating.
      await storage.live.finish('bob-1', ended('aborted'));
      await begin(study.id, 'bob-2', { participantId: bob });
      await storage.live.finish('bob-2', ended('failed'));
      expect(await storage.live.awaitingRatingFor(bob)).toBeNull();
      expect(await storage.live.running()).toEqual([]);
    });

    it('beginTwin makes one running twin per live episode; a second call returns it and writes nothing', async () => {
      const study = await storage.createStudy({ name: 'Twin' });
      const info = await begin(study.id, 'live-1');
      const twin = runningEpisodeSummary('twin-a');
      expect(await storage.live.beginTwin('live-1', twin)).toEqual({ twin, created: true });
      expect((await storage.getEpisode('twin-a'))?.summary).toEqual(twin);
      // A running twin is not a running live episode: start-up resumes live episodes only.
      expect(await storage.live.running()).toEqual([info]);
      const second = await storage.live.beginTwin('live-1', runningEpisodeSummary('twin-b'));
      expect(second).toMatchObject({ created: false, twin: { id: 'twin-a', status: 'running' } });
      expect(await storage.getEpisode('twin-b')).toBeNull();
      expect(await storage.live.twinsOf('live-1')).toEqual(['twin-a']);
      expect(await storage.live.twinsOf('no-such-episode')).toEqual([]);

      // The twin's events go through append, its end through finish; it is no live episode of its own.
      await storage.live.append('twin-a', messageEvent(0));
      await storage.live.finish('twin-a', { ...ended('completed'), weightedScore: 2, correct: 0, interactionTurns: 1 });
      expect(await storage.live.beginTwin('live-1', runningEpisodeSummary('twin-c'))).toMatchObject({
        created: false,
        twin: { id: 'twin-a', status: 'completed', weightedScore: 2 },
      });
      expect(await storage.live.get('twin-a')).toBeNull();
      expect(await storage.live.sourceParticipantOf('twin-a')).toBeNull();
      expect(await storage.live.awaitingRatingFor(info.participantId)).toBeNull();
    });

    it('saveTwin stores a whole simulated episode linked to its live one', async () => {
      const study = await storage.createStudy({ name: 'Saved twin' });
      await begin(study.id, 'live-1');
      await begin(study.id, 'live-2');
      const summary = { ...runningEpisodeSummary('twin-1'), status: 'completed' as const, weightedScore: 4 };
      const events = [messageEvent(0), completedEvent(1)];
      await storage.live.saveTwin('live-1', summary, events);
      expect(await storage.getEpisode('twin-1')).toEqual({ summary, events });
      expect(await storage.live.twinsOf('live-1')).toEqual(['twin-1']);
      expect(await storage.live.twinsOf('live-2')).toEqual([]);
      expect(await storage.live.get('twin-1')).toBeNull();
    });

    it('listLive filters by study and status, and lists no batch episodes or twins', async () => {
      const a = await storage.createStudy({ name: 'A' });
      const b = await storage.createStudy({ name: 'B' });
      await begin(a.id, 'a-1');
      await begin(a.id, 'a-2');
      await begin(b.id, 'b-1');
      await storage.live.finish('a-1', ended('aborted'));
      await storage.live.saveTwin('a-2', { ...runningEpisodeSummary('twin-1'), status: 'completed' }, []);
      await storage.saveEpisode({ ...runningEpisodeSummary('batch-1'), status: 'completed' }, []);
      const ids = async (filter: Parameters<Storage['live']['listLive']>[0]): Promise<string[]> =>
        (await storage.live.listLive(filter)).map((i) => i.summary.id).sort();
      expect(await ids({})).toEqual(['a-1', 'a-2', 'b-1']);
      expect(await ids({ studyId: a.id })).toEqual(['a-1', 'a-2']);
      expect(await ids({ status: 'running' })).toEqual(['a-2', 'b-1']);
      expect(await ids({ studyId: a.id, status: 'aborted' })).toEqual(['a-1']);
      expect(await ids({ studyId: b.id, status: 'aborted' })).toEqual([]);
      expect((await storage.live.listLive({ studyId: b.id }))[0]).toEqual(await storage.live.get('b-1'));
    });
  });
}
