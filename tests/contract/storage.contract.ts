import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { AppError } from '../../shared/errors.ts';
import type { ImportBenchmarkInput, Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { messageEvent } from '../support/episode-events.ts';
import { exampleRecord } from '../support/records.ts';

/** Storage without its parts (people, work, …): what this contract uses. */
export type StorageCore = Omit<
  Storage,
  'live' | 'people' | 'work' | 'research' | 'serverLease' | 'jobs' | 'deletions' | 'consent' | 'access'
>;

/**
 * The behaviour every Storage implementation must have. Run it from one test file per implementation:
 * `storageContract('sqlite', () => SqliteStorage.open(...))`.
 */
export function storageContract(name: string, open: () => Promise<StorageCore>): void {
  describe(`Storage contract: ${name}`, () => {
    let storage: StorageCore;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    function input(
      studyName: string,
      records: BenchmarkRecord[],
      sha256 = `sha-${studyName}-${records.length}`,
    ): ImportBenchmarkInput {
      return {
        studyName,
        sourceName: 'bench.jsonl',
        sha256,
        bytes: 123,
        metadata: { type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' },
        records: records.map((record, i) => ({ line: i + 2, task: 'math', record })),
      };
    }

    it('creates, finds and lists studies; a taken name is a conflict', async () => {
      const study = await storage.createStudy({ name: 'Pilot', description: 'first' });
      expect(study).toMatchObject({ name: 'Pilot', description: 'first' });
      expect(await storage.getStudy(study.id)).toEqual(study);
      expect(await storage.findStudyByName('Pilot')).toEqual(study);
      expect(await storage.findStudyByName('pilot-2')).toBeNull();
      await expect(storage.createStudy({ name: 'Pilot' })).rejects.toMatchObject({ code: 'conflict' });
      expect(await storage.listStudies()).toEqual([{ ...study, recordCount: 0, personaCount: 0, fileCount: 0 }]);
    });

    it('imports records with personas and rubrics, creating the study in the same step', async () => {
      const records = [
        exampleRecord(0, 'okafor_3fa9c21b'),
        exampleRecord(1, 'okafor_3fa9c21b'),
        exampleRecord(0, 'lee_00000001'),
      ];
      const outcome = await storage.importBenchmark(input('Import', records));
      expect(outcome).toMatchObject({
        studyCreated: true,
        alreadyImported: false,
        recordsAdded: 3,
        recordsUnchanged: 0,
        criteriaAdded: 9,
        personasAdded: 2,
      });
      const [summary] = await storage.listStudies();
      expect(summary).toMatchObject({
        id: outcome.studyId,
        name: 'Import',
        recordCount: 3,
        personaCount: 2,
        fileCount: 1,
      });

      const page = await storage.listRecords(outcome.studyId, { offset: 1, limit: 1 });
      expect(page.total).toBe(3);
      expect(page.items).toEqual([
        {
          problemId: 'problem_1_okafor_3fa9c21b',
          personaId: 'okafor_3fa9c21b',
          personaName: 'Chidinma Okafor',
          task: 'math',
          question: 'How many degrees are in the sum of the interior angles of a convex hexagon?',
          preferenceCount: 3,
          criterionCount: 3,
        },
      ]);
      expect(await storage.getRecord(outcome.studyId, 'problem_0_lee_00000001')).toEqual(records[2]);
      expect(await storage.getRecord(outcome.studyId, 'problem_9_nobody')).toBeNull();
      expect((await storage.getPersona('lee_00000001'))?.id).toBe('lee_00000001');
    });

    it('round-trips unknown fields and key order exactly', async () => {
      const record = { ...exampleRecord(0), zz_future: { a: [1, { b: null }] }, aa_first: true } as BenchmarkRecord;
      const { studyId } = await storage.importBenchmark(input('Roundtrip', [record]));
      const stored = await storage.getRecord(studyId, record.problem_id);
      expect(JSON.stringify(stored)).toBe(JSON.stringify(record));
    });

    it('gives records back frozen, so a reader that changes one fails and the next read is as stored', async () => {
      const record = exampleRecord(0);
      const { studyId } = await storage.importBenchmark(input('Frozen', [record]));
      const first = await storage.getRecord(studyId, record.problem_id);
      expect(first && Object.isFrozen(first) && Object.isFrozen(first.evaluation_rubric)).toBe(true);
      expect(() => {
        (first as { problem_id: string }).problem_id = 'changed';
      }).toThrow(TypeError);
      expect(await storage.getRecord(studyId, record.problem_id)).toEqual(record);
    });

    it('importing the same file twice changes nothing', async () => {
      const records = [exampleRecord(0), exampleRecord(1)];
      const first = await storage.importBenchmark(input('Twice', records, 'same-sha'));
      const before = await storage.listStudies();
      const second = await storage.importBenchmark(input('Twice', records, 'same-sha'));
      expect(second).toMatchObject({
        studyId: first.studyId,
        studyCreated: false,
        alreadyImported: true,
        recordsAdded: 0,
        recordsUnchanged: 2,
      });
      expect(await storage.listStudies()).toEqual(before);
    });

    it('a different file repeating identical records adds nothing', async () => {
      const first = await storage.importBenchmark(input('Overlap', [exampleRecord(0)], 'sha-a'));
      const second = await storage.importBenchmark(input('Overlap', [exampleRecord(0), exampleRecord(1)], 'sha-b'));
      expect(second).toMatchObject({ recordsAdded: 1, recordsUnchanged: 1 });
      expect((await storage.listRecords(first.studyId, { offset: 0, limit: 10 })).total).toBe(2);
    });

    it('a conflicting record rejects the whole import and stores nothing, not even the new study', async () => {
      await storage.importBenchmark(input('Conflict', [exampleRecord(0)], 'sha-1'));
      const changed = exampleRecord(0);
      changed.original_problem.answer = '721';
      const attempt = storage.importBenchmark(input('Conflict', [exampleRecord(5), changed], 'sha-2'));
      await expect(attempt).rejects.toBeInstanceOf(AppError);
      await expect(attempt).rejects.toMatchObject({ code: 'conflict' });
      const [study] = await storage.listStudies();
      expect(study).toMatchObject({ recordCount: 1, fileCount: 1 });
      expect(await storage.getRecord(study?.id ?? '', 'problem_5_okafor_3fa9c21b')).toBeNull();

      const records = [exampleRecord(0, 'a_1'), exampleRecord(0, 'a_1')];
      records[1] = { ...records[1], extra: 1 } as BenchmarkRecord;
      await expect(storage.importBenchmark(input('Fresh', records, 'sha-3'))).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await storage.findStudyByName('Fresh')).toBeNull();
    });

    it('the same record id in two studies is two records', async () => {
      const a = await storage.importBenchmark(input('A', [exampleRecord(0)], 'x'));
      const b = await storage.importBenchmark(input('B', [exampleRecord(0)], 'x'));
      expect(a.studyId).not.toBe(b.studyId);
      expect(b).toMatchObject({ recordsAdded: 1, alreadyImported: false });
    });

    it('syncs the persona library: add, update, unchanged', async () => {
      const persona = { ...exampleRecord(0).persona, id: 'okafor_3fa9c21b' } as unknown as LibraryPersona;
      expect(await storage.syncPersonaLibrary([persona])).toEqual({ added: 1, updated: 0, unchanged: 0 });
      expect(await storage.syncPersonaLibrary([persona])).toEqual({ added: 0, updated: 0, unchanged: 1 });
      const edited = { ...persona, backstory: 'A new backstory.' };
      expect(await storage.syncPersonaLibrary([edited])).toEqual({ added: 0, updated: 1, unchanged: 0 });
      expect(await storage.listLibraryPersonas()).toEqual([edited]);
      expect(await storage.getPersona('okafor_3fa9c21b')).toEqual(edited);
      expect(await storage.getPersona('nobody_00000000')).toBeNull();
    });

    it('the library version of a persona wins over copies seen in imports', async () => {
      const record = exampleRecord(0);
      await storage.importBenchmark(input('P', [record]));
      const library = { ...record.persona, backstory: 'Library text.' } as unknown as LibraryPersona;
      await storage.syncPersonaLibrary([library]);
      expect((await storage.getPersona(record.persona.id))?.backstory).toBe('Library text.');
    });

    it("a resumed run's unrecorded episodes: completed ones missing from its results file are marked aborted", async () => {
      const run = await storage.createRun({
        benchmarkPath: 'b.jsonl',
        benchmarkSha256: null,
        outPath: null,
        options: {},
      });
      const other = await storage.createRun({
        benchmarkPath: 'b.jsonl',
        benchmarkSha256: null,
        outPath: null,
        options: {},
      });
      const ended = { endedAt: '2030-01-01T00:01:00.000Z' };
      const save = (id: string, runId: string, status: 'completed' | 'failed'): Promise<void> =>
        storage.saveEpisode(runningEpisodeSummary(id, { runId, status, ...ended }), [messageEvent(0)]);
      await save('in-file', run.id, 'completed');
      await save('not-in-file', run.id, 'completed');
      await save('failed', run.id, 'failed');
      await save('other-run', other.id, 'completed');
      const reason = 'stopped before its results line';
      expect(await storage.abortUnrecordedEpisodes(run.id, ['in-file'], reason)).toBe(1);
      const status = async (id: string): Promise<unknown> => {
        const summary = (await storage.getEpisode(id))?.summary;
        return { status: summary?.status, failure: summary?.failure };
      };
      expect(await status('in-file')).toEqual({ status: 'completed', failure: null });
      expect(await status('not-in-file')).toEqual({ status: 'aborted', failure: { stage: 'internal', reason } });
      expect(await status('failed')).toEqual({ status: 'failed', failure: null });
      expect(await status('other-run')).toEqual({ status: 'completed', failure: null });
      expect((await storage.getEpisode('not-in-file'))?.events).toEqual([messageEvent(0)]);
      expect(await storage.abortUnrecordedEpisodes(run.id, ['in-file'], reason)).toBe(0);
    });
  });
}
