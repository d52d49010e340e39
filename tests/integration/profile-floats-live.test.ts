import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../server/models/model-provider.ts';
import { personaProfile } from '../../server/engine/persona-profile.ts';
import { importBenchmarkFile } from '../../server/services/benchmark/import-benchmark-file.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { request, until } from '../support/live-app.ts';
import { liveBench } from '../support/live-bench.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { exampleRecord } from '../support/records.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-floats-live-');
const bench = liveBench();

/**
 * A benchmark file of one record whose line writes the persona's age `47.0` and its first preference's value `4.0`,
 * as Python's json writes floats, and a rubric level's score `5.0` (not part of the profile).
 */
function floatFile(name: string): { file: string; preference: string; problemId: string } {
  const record = exampleRecord(0);
  const [preference] = Object.keys(record.persona_preferences);
  const p = preference === undefined ? undefined : record.persona_preferences[preference];
  if (preference === undefined || !p) throw new Error('the example record has no preference');
  p.value = 987654; // a number found nowhere else in the line, then written as a float
  const json = JSON.stringify(record).replace('"value":987654', '"value":4.0').replace('"age":47,', '"age":47.0,');
  // The last level score is in the rubric, which comes after the persona.
  const level = json.lastIndexOf('"score":5,');
  const text = `${json.slice(0, level)}"score":5.0,${json.slice(level + '"score":5,'.length)}`;
  expect(text).toContain('"value":4.0');
  expect(text).toContain('"score":5.0,');
  expect(text).toContain('"age":47.0,');
  return { file: writeFile(dir, name, `${text}\n`), preference, problemId: record.problem_id };
}

/** What the profile prints for the first preference, up to its value: `'value': 4.0` as the reference prints it. */
function preferenceEntry(prompt: string, preference: string): string {
  const start = prompt.indexOf(`${JSON.stringify(preference).replace(/"/g, "'")}: {'name': `);
  expect(start, 'the preference in the profile').toBeGreaterThan(-1);
  return prompt.slice(start, prompt.indexOf('}', start));
}

function answer(request: ModelRequest): string {
  if (request.purpose === 'simulated_user') return '{"thought": "t", "response": "Short, please."}';
  if (request.purpose === 'rubric_judge') return '{"score": 4, "justification": "fits"}';
  if (request.purpose === 'correctness_judge') return '{"justification": "ok", "correct": 1}';
  if (request.purpose === 'disclosure_labeler') return '{"asked": [], "revealed": []}';
  const asked = request.messages.filter((m) => m.role === 'assistant').length;
  return asked === 0 && request.messages[0]?.content.includes('###ACTION###')
    ? "###ACTION###: 'ask_question'\n###RESPONSE###: How much detail?"
    : "###ACTION###: 'final_answer'\n###RESPONSE###: The answer.";
}

/** A database file with the float file imported into the study "Floats", through the server's import. */
async function importedDatabase(): Promise<{ db: string; studyId: string; preference: string; problemId: string }> {
  const { file, preference, problemId } = floatFile('floats.jsonl');
  const db = bench.file('floats');
  const storage = SqliteStorage.open({ file: db });
  try {
    const { outcome } = await importBenchmarkFile(storage, file, { study: 'Floats', skipImages: true });
    expect(outcome.recordsAdded).toBe(1);
    return { db, studyId: outcome.studyId, preference, problemId };
  } finally {
    await storage.close();
  }
}

describe('live episodes of an imported record print its floats as the file writes them', () => {
  it('persona_known: the model under test is shown 4.0 and 47.0 in the persona profile', async () => {
    const { db, studyId, preference } = await importedDatabase();
    const model = new RecordingProvider(answer, 'recording');
    const app = await bench.start(
      {
        model,
        queue: (storage, name) =>
          simplePlayQueue(storage, name, {
            mode: 'persona_known',
            judgeModel: 'recording',
            simulatorModel: 'recording',
          }),
      },
      db,
    );
    const { socket } = await bench.join(app, { studyId });
    await request(socket, 'play:start', {});
    const oracle = (): string | undefined =>
      model.requests.find((r) => r.purpose === 'assistant' && r.messages[0]?.content.includes('PREFERECES:'))
        ?.messages[0]?.content;
    await until(() => oracle() !== undefined, 10_000, "the model under test's system prompt");
    const prompt = oracle() ?? '';
    expect(prompt).toContain('Age: 47.0, Occupation:');
    expect(preferenceEntry(prompt, preference)).toContain("'value': 4.0,");
  });

  it("infer_persona: the twin's simulated user is shown 4.0 in the persona profile", async () => {
    const { db, studyId, preference } = await importedDatabase();
    const model = new RecordingProvider(answer, 'recording');
    const app = await bench.start(
      {
        model,
        queue: (storage, name) =>
          simplePlayQueue(storage, name, { judgeModel: 'recording', simulatorModel: 'recording' }),
      },
      db,
    );
    const { socket } = await bench.join(app, { studyId });
    await request(socket, 'play:start', {});
    const simulator = (): string | undefined =>
      model.requests.find((r) => r.purpose === 'simulated_user')?.messages[0]?.content;
    await until(() => simulator() !== undefined, 10_000, 'the twin reply');
    const prompt = simulator() ?? '';
    expect(prompt).toContain('Age: 47.0, Occupation:');
    expect(preferenceEntry(prompt, preference)).toContain("'value': 4.0,");
  });
});

describe('records imported before their float positions were stored', () => {
  it('print whole numbers as before, and importing the same file again gives them their floats', async () => {
    const { file, preference, problemId } = floatFile('again.jsonl');
    const db = bench.file('before');
    const storage = SqliteStorage.open({ file: db });
    try {
      const { outcome } = await importBenchmarkFile(storage, file, { study: 'Before', skipImages: true });
      const profile = async (): Promise<string> => {
        const record = await storage.getRecord(outcome.studyId, problemId);
        if (!record) throw new Error('the record is not stored');
        return personaProfile(record);
      };
      expect(await profile()).toContain('Age: 47.0, Occupation:');

      // As a database from before migration 013 holds it: no float paths.
      const raw = new Database(db);
      raw.prepare('UPDATE records SET float_paths_json = NULL').run();
      raw.close();
      const before = await profile();
      expect(before).toContain('Age: 47, Occupation:');
      expect(preferenceEntry(before, preference)).toContain("'value': 4,");

      const again = await importBenchmarkFile(storage, file, { study: 'Before', skipImages: true });
      expect(again.outcome).toMatchObject({ alreadyImported: true, recordsAdded: 0, recordsUnchanged: 1 });
      const after = await profile();
      expect(after).toContain('Age: 47.0, Occupation:');
      expect(preferenceEntry(after, preference)).toContain("'value': 4.0,");
      // Only the paths of the profile's parts are stored, sorted; records with none store [] (not NULL).
      const check = new Database(db, { readonly: true });
      const stored = check.prepare('SELECT float_paths_json FROM records').pluck().get() as string;
      check.close();
      expect(JSON.parse(stored)).toEqual([
        '$["persona"]["demographics"]["age"]',
        `$["persona_preferences"][${JSON.stringify(preference)}]["value"]`,
      ]);
    } finally {
      await storage.close();
    }
  });
});
