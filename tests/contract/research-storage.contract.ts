import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunInfo, RunProgress } from '../../shared/schemas/research.ts';
import type { EpisodeSummary } from '../../server/storage/episode-storage.ts';
import type { NewStudyRun, StudyEpisode } from '../../server/storage/research-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { actorRatedEvent, completedEvent, messageEvent } from '../support/episode-events.ts';
import { studyWithRecords } from '../support/study-work-fixtures.ts';
import { exampleRecord } from '../support/records.ts';

const OPTIONS: RunInfo['options'] = {
  model: 'model-a',
  judge: 'judge-a',
  simulator: 'judge-a',
  modes: ['infer_persona'],
  userTypes: ['passive_nostop'],
  maxTurns: 5,
  fixedQuestions: null,
  maxProblems: 10,
  seed: 7,
};

function progress(done: number): RunProgress {
  return {
    total: 10,
    done,
    failed: 0,
    skipped: 0,
    running: 1,
    elapsedMs: 1500,
    calls: done * 3,
    inputTokens: 100,
    outputTokens: 50,
    costUsd: null,
  };
}

/** Distinct creation times without relying on a clock's resolution. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** What this contract uses of a storage. */
export type ResearchContractStorage = Pick<
  Storage,
  'research' | 'live' | 'people' | 'createStudy' | 'createRun' | 'importBenchmark' | 'saveEpisode' | 'close'
>;

/**
 * The behaviour every ResearchStorage (`storage.research`) must have: a study's batch runs with their status and
 * progress, its records, its episodes (batch, live and twins) paged by cursor, their events, and Prolific ids.
 * The participants export (`studyParticipants`) is in research-participants.contract.ts.
 */
export function researchStorageContract(name: string, open: () => Promise<ResearchContractStorage>): void {
  describe(`ResearchStorage contract: ${name}`, () => {
    let storage: ResearchContractStorage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    function newRun(id: string, studyId: string): NewStudyRun {
      return { id, studyId, benchmarkSha256: `sha-${id}`, outPath: `/results/${id}.jsonl`, options: OPTIONS };
    }

    it('creates study runs as running, reads them back, lists them per study newest first', async () => {
      const a = await storage.createStudy({ name: 'A' });
      const b = await storage.createStudy({ name: 'B' });
      const first = await storage.research.createStudyRun(newRun('run-1', a.id));
      expect(first).toMatchObject({ id: 'run-1', studyId: a.id, status: 'running', options: OPTIONS, progress: null });
      expect(await storage.research.getRun('run-1')).toEqual({
        ...first,
        outPath: '/results/run-1.jsonl',
        benchmarkSha256: 'sha-run-1',
      });
      await tick();
      const second = await storage.research.createStudyRun(newRun('run-2', a.id));
      await tick();
      const other = await storage.research.createStudyRun(newRun('run-3', b.id));
      expect(await storage.research.listRuns(a.id)).toEqual([second, first]);
      expect(await storage.research.listRuns(b.id)).toEqual([other]);
      expect(await storage.research.listRuns('no-such-study')).toEqual([]);
      expect(await storage.research.getRun('no-such-run')).toBeNull();
    });

    it('updateRun writes progress and, when given, status; unknown and CLI runs are not_found', async () => {
      const study = await storage.createStudy({ name: 'Progress' });
      const created = await storage.research.createStudyRun(newRun('run-1', study.id));
      await storage.research.updateRun('run-1', { progress: progress(3) });
      const running = await storage.research.getRun('run-1');
      expect(running).toMatchObject({ status: 'running', progress: progress(3) });
      expect(Date.parse(running?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
      const failed = { ...progress(4), error: { code: 'internal' as const, message: 'boom' } };
      await storage.research.updateRun('run-1', { status: 'failed', progress: failed });
      expect(await storage.research.getRun('run-1')).toMatchObject({ status: 'failed', progress: failed });
      expect(await storage.research.listRuns(study.id)).toMatchObject([{ id: 'run-1', status: 'failed' }]);
      await expect(storage.research.updateRun('no-such-run', { progress: progress(0) })).rejects.toMatchObject({
        code: 'not_found',
      });
      // A run the CLI made belongs to no study: the research API neither sees nor changes it.
      const cli = await storage.createRun({
        benchmarkPath: 'b.jsonl',
        benchmarkSha256: null,
        outPath: null,
        options: {},
      });
      expect(await storage.research.getRun(cli.id)).toBeNull();
      await expect(storage.research.updateRun(cli.id, { progress: progress(0) })).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it("a run stored without its records' hash gets it from updateRun, which later updates keep", async () => {
      const study = await storage.createStudy({ name: 'Hash later' });
      await storage.research.createStudyRun({ ...newRun('run-1', study.id), benchmarkSha256: null });
      expect(await storage.research.getRun('run-1')).toMatchObject({ benchmarkSha256: null, progress: null });
      await storage.research.updateRun('run-1', { progress: progress(0), benchmarkSha256: 'abc123' });
      expect(await storage.research.getRun('run-1')).toMatchObject({
        benchmarkSha256: 'abc123',
        progress: progress(0),
      });
      await storage.research.updateRun('run-1', { status: 'completed', progress: progress(10) });
      expect(await storage.research.getRun('run-1')).toMatchObject({
        status: 'completed',
        benchmarkSha256: 'abc123',
        progress: progress(10),
      });
      // What the API lists carries neither the hash nor the results file's path.
      const [listed] = await storage.research.listRuns(study.id);
      expect(listed).not.toHaveProperty('benchmarkSha256');
      expect(listed).not.toHaveProperty('outPath');
    });

    it('interruptRunningRuns marks only running runs interrupted and counts them', async () => {
      const a = await storage.createStudy({ name: 'A' });
      const b = await storage.createStudy({ name: 'B' });
      for (const [id, studyId] of [
        ['r-1', a.id],
        ['r-2', a.id],
        ['r-3', b.id],
        ['r-4', b.id],
      ] as const) {
        await storage.research.createStudyRun(newRun(id, studyId));
      }
      await storage.research.updateRun('r-2', { status: 'completed', progress: progress(10) });
      await storage.research.updateRun('r-4', { status: 'failed', progress: progress(1) });
      await storage.createRun({ benchmarkPath: 'b.jsonl', benchmarkSha256: null, outPath: null, options: {} });
      expect(await storage.research.interruptRunningRuns()).toBe(2);
      const status = async (id: string): Promise<string | undefined> => (await storage.research.getRun(id))?.status;
      expect([await status('r-1'), await status('r-2'), await status('r-3'), await status('r-4')]).toEqual([
        'interrupted',
        'completed',
        'interrupted',
        'failed',
      ]);
      // Progress is kept; a second start-up finds nothing left to interrupt.
      expect((await storage.research.getRun('r-2'))?.progress).toEqual(progress(10));
      expect(await storage.research.interruptRunningRuns()).toBe(0);
    });

    it('interruptRunningRuns leaves the runs it is told to keep running', async () => {
      const study = await storage.createStudy({ name: 'A' });
      for (const id of ['k-1', 'k-2', 'k-3']) await storage.research.createStudyRun(newRun(id, study.id));
      expect(await storage.research.interruptRunningRuns(['k-2', 'no-such-run'])).toBe(2);
      const statuses = await Promise.all(
        ['k-1', 'k-2', 'k-3'].map(async (id) => (await storage.research.getRun(id))?.status),
      );
      expect(statuses).toEqual(['interrupted', 'running', 'interrupted']);
      expect(await storage.research.interruptRunningRuns([])).toBe(1);
    });

    it('listStudyRecords returns every record of the study in import order, with its task', async () => {
      const { studyId } = await studyWithRecords(storage, 'Records', 3);
      const more = [exampleRecord(7), exampleRecord(4)];
      await storage.importBenchmark({
        studyName: 'Records',
        sourceName: 'second.jsonl',
        sha256: 'sha-second',
        bytes: 1,
        metadata: null,
        records: more.map((record, i) => ({ line: i + 1, task: 'aime', record })),
      });
      await studyWithRecords(storage, 'Other', 5);
      const records = await storage.research.listStudyRecords(studyId);
      expect(records.map((r) => [r.problemId, r.task])).toEqual([
        [exampleRecord(0).problem_id, 'math'],
        [exampleRecord(1).problem_id, 'math'],
        [exampleRecord(2).problem_id, 'math'],
        [exampleRecord(7).problem_id, 'aime'],
        [exampleRecord(4).problem_id, 'aime'],
      ]);
      expect(records[3]?.record).toEqual(exampleRecord(7));
      expect(await storage.research.listStudyRecords('no-such-study')).toEqual([]);
    });

    it('studyEpisodes pages batch, live and twin episodes in start order with no gap or repeat', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Episodes', 2);
      const [p0 = '', p1 = ''] = problemIds;
      const other = await studyWithRecords(storage, 'Elsewhere', 1);
      await storage.research.createStudyRun(newRun('run-a', studyId));
      await storage.research.createStudyRun(newRun('run-b', other.studyId));
      const { participant } = await storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific: {} });
      const at = (second: number): string => `2030-01-01T00:00:0${second}.000Z`;
      const done = (id: string, over: Partial<EpisodeSummary>): EpisodeSummary => ({
        ...runningEpisodeSummary(id, over),
        status: 'completed',
        endedAt: at(9),
      });
      // Equal start times on purpose: the cursor must break ties by id.
      await storage.saveEpisode(done('b-2', { runId: 'run-a', problemId: p0, startedAt: at(1) }), []);
      await storage.saveEpisode(done('b-1', { runId: 'run-a', problemId: p1, startedAt: at(1) }), []);
      await storage.saveEpisode(done('b-3', { runId: 'run-a', problemId: 'not-in-study', startedAt: at(3) }), []);
      await storage.live.begin({
        summary: runningEpisodeSummary('l-1', { userSeat: 'person', problemId: p0, startedAt: at(1) }),
        studyId,
        participantId: participant.id,
        assignmentId: null,
        spec: {},
      });
      await storage.live.saveTwin('l-1', done('t-1', { problemId: p0, startedAt: at(2) }), []);
      // Not the study's: another study's run, a CLI run's episode.
      await storage.saveEpisode(done('x-1', { runId: 'run-b', problemId: p0, startedAt: at(1) }), []);
      await storage.saveEpisode(done('x-2', { startedAt: at(1) }), []);

      const all = await storage.research.studyEpisodes(studyId, { after: null, limit: 100 });
      const brief = (e: StudyEpisode): string[] => [e.id, e.source, e.task, e.participantId ?? '-', e.twinOf ?? '-'];
      expect(all.map(brief)).toEqual([
        ['b-1', 'batch', 'math', '-', '-'],
        ['b-2', 'batch', 'math', '-', '-'],
        ['l-1', 'live', 'math', participant.id, '-'],
        ['t-1', 'twin', 'math', '-', 'l-1'],
        ['b-3', 'batch', 'unknown', '-', '-'],
      ]);
      expect(all[0]).toMatchObject(done('b-1', { runId: 'run-a', problemId: p1, startedAt: at(1) }));

      for (const limit of [1, 2, 3]) {
        const paged: StudyEpisode[] = [];
        let page = await storage.research.studyEpisodes(studyId, { after: null, limit });
        while (page.length > 0) {
          expect(page.length).toBeLessThanOrEqual(limit);
          paged.push(...page);
          // A cursor that does not move on would page forever: fail instead.
          expect(paged.length).toBeLessThanOrEqual(all.length);
          const last = page[page.length - 1] as StudyEpisode;
          page = await storage.research.studyEpisodes(studyId, {
            after: { startedAt: last.startedAt, id: last.id },
            limit,
          });
        }
        expect(paged).toEqual(all);
      }
      expect(await storage.research.studyEpisodes('no-such-study', { after: null, limit: 10 })).toEqual([]);
    });

    it('episodeEvents returns the listed types, by episode as given, then by seq', async () => {
      const summary = (id: string): EpisodeSummary => ({ ...runningEpisodeSummary(id), status: 'completed' });
      await storage.saveEpisode(summary('e-1'), [messageEvent(0), completedEvent(1), actorRatedEvent(2)]);
      await storage.saveEpisode(summary('e-2'), [messageEvent(0), messageEvent(1), actorRatedEvent(2)]);
      const got = await storage.research.episodeEvents(['e-2', 'no-such-episode', 'e-1'], ['message', 'actor_rated']);
      expect(got).toEqual([
        { episodeId: 'e-2', event: messageEvent(0) },
        { episodeId: 'e-2', event: messageEvent(1) },
        { episodeId: 'e-2', event: actorRatedEvent(2) },
        { episodeId: 'e-1', event: messageEvent(0) },
        { episodeId: 'e-1', event: actorRatedEvent(2) },
      ]);
      expect(await storage.research.episodeEvents(['e-1'], ['episode_completed'])).toEqual([
        { episodeId: 'e-1', event: completedEvent(1) },
      ]);
      expect(await storage.research.episodeEvents([], ['message'])).toEqual([]);
      expect(await storage.research.episodeEvents(['e-1'], [])).toEqual([]);
    });

    it('prolificIds maps participants to the Prolific ids they joined with; unknown ids are left out', async () => {
      const study = await storage.createStudy({ name: 'Prolific' });
      const join = async (prolific: Record<string, string>): Promise<string> =>
        (await storage.people.findOrCreateParticipant({ studyId: study.id, role: 'actor', prolific })).participant.id;
      const full = await join({ prolificPid: 'pid-1', prolificStudyId: 'ps-1', prolificSessionId: 'sess-1' });
      const pidOnly = await join({ prolificPid: 'pid-2' });
      const anonymous = await join({});
      const ids = await storage.research.prolificIds([full, pidOnly, anonymous, 'no-such-participant', full]);
      expect(Object.fromEntries(ids)).toEqual({
        [full]: { prolificPid: 'pid-1', prolificStudyId: 'ps-1', prolificSessionId: 'sess-1' },
        [pidOnly]: { prolificPid: 'pid-2' },
        [anonymous]: {},
      });
      expect((await storage.research.prolificIds([])).size).toBe(0);
    });
  });
}
