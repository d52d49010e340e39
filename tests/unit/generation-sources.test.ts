import { describe, expect, it } from 'vitest';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { detectSourceTask, SOURCE_TASK_NAMES, type SourceTask } from '../../shared/benchmark/source-task.ts';
import { GenerationConfigSchema } from '../../shared/schemas/generation-config.ts';
import { parseCsv } from '../../server/services/csv/read-csv.ts';
import { loadSource } from '../../server/generation/load-source.ts';
import { SHAPE_FIELDS, toOriginalProblem } from '../../server/generation/source-shapes.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();

describe('parseCsv', () => {
  it("reads quoted commas, doubled quotes, line breaks inside quotes and CRLF, with each record's first line", () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"line one\nline two",z\n\n3,,last\n';
    const { records, problems } = parseCsv(text);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'line one\nline two', 'z'] },
      { line: 6, fields: ['3', '', 'last'] },
    ]);
  });

  it("reports an unclosed quote and text after a closing quote at the record's line", () => {
    expect(parseCsv('a,b\n1,"ok"x\n2,3\n').problems).toEqual([
      { line: 2, message: 'text after a closing quote in field 2' },
    ]);
    const open = parseCsv('a,b\n1,2\n3,"never closed\n4,5\n');
    expect(open.records.map((r) => r.line)).toEqual([1, 2]);
    expect(open.problems).toEqual([{ line: 3, message: 'a quoted field is never closed (missing ")' }]);
  });

  it('strips a byte-order mark and reads a last line without a newline', () => {
    expect(parseCsv('\uFEFFq,a\nwhat,42').records).toEqual([
      { line: 1, fields: ['q', 'a'] },
      { line: 2, fields: ['what', '42'] },
    ]);
  });
});

/** One minimal row per shape, as that dataset would hold it, and the gold answer the evaluator must see. */
const ROWS: Record<SourceTask, { row: Record<string, unknown>; answer: string | number }> = {
  math: { row: { problem: 'What is 2+2?', solution: 'Add.', answer: '4' }, answer: '4' },
  aime: { row: { Question: 'Find n.', Answer: 42 }, answer: 42 },
  logiqa: {
    row: { context: 'Some context.', query: 'Which follows?', options: ['a', 'b', 'c', 'd'], correct_option: 3 },
    answer: 'D',
  },
  mascqa: { row: { question: 'Young modulus of steel?', correct_answer: '200 GPa' }, answer: '200 GPa' },
  scienceqa: {
    row: { question: 'Which is a mammal?', choices: ['frog', 'whale'], answer: 1, lecture: 'Mammals…' },
    answer: 'B',
  },
  mmlu: {
    row: {
      question: 'Capital of France?',
      subject: 'geography',
      choices: ['Rome', 'Paris', 'Oslo', 'Bern'],
      answer: 1,
    },
    answer: 'B',
  },
  simpleqa: { row: { problem: 'Who wrote Emma?', answer: 'Jane Austen' }, answer: 'Jane Austen' },
  medqa: {
    row: { question: 'A 40-year-old…', answer: 'Aspirin', options: { A: 'Aspirin', B: 'Heparin' }, answer_idx: 'A' },
    answer: 'A',
  },
  commonsenseqa: {
    row: { question: 'Where do fish live?', choices: { label: ['A', 'B'], text: ['water', 'sky'] }, answerKey: 'A' },
    answer: 'A',
  },
  socialiqa: {
    row: {
      context: 'Kai helped.',
      question: 'How does Kai feel?',
      answerA: 'proud',
      answerB: 'sad',
      answerC: 'bored',
      label: '2',
    },
    answer: 'B',
  },
};

describe('the ten source shapes', () => {
  it.each(SOURCE_TASK_NAMES)(
    '%s: a dataset row is kept whole and normalises to its question and gold answer',
    (shape) => {
      const { row, answer } = ROWS[shape];
      const result = toOriginalProblem(row, { shape, fields: {}, keepFields: [] });
      expect(result).toEqual({ ok: true, problem: row });
      const problem = normalizeProblem({ original_problem: row });
      expect(problem.question.length).toBeGreaterThan(3);
      expect(problem.answer).toEqual(answer);
      expect(detectSourceTask(row)).toBe(shape);
    },
  );

  it.each(SOURCE_TASK_NAMES)('%s: a row without its required fields is refused, naming each', (shape) => {
    const required = SHAPE_FIELDS[shape].filter((f) => f.required).map((f) => f.name);
    const result = toOriginalProblem({ unrelated: 'x' }, { shape, fields: {}, keepFields: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) for (const name of required) expect(result.reason).toContain(`${name} (column "${name}")`);
  });

  it('maps spreadsheet columns: options from several columns, a letter answer to an index, kept extra columns', () => {
    const row = {
      Q: 'Pick B',
      o1: 'first',
      o2: 'second',
      o3: '',
      ans: 'b',
      id: 'q7',
      junk: 'context that must not leak',
    };
    const result = toOriginalProblem(row, {
      shape: 'mmlu',
      fields: { question: 'Q', choices: ['o1', 'o2', 'o3'], answer: 'ans' },
      keepFields: ['id'],
    });
    expect(result).toEqual({
      ok: true,
      problem: { question: 'Pick B', choices: ['first', 'second'], answer: 1, id: 'q7' },
    });
    const medqa = toOriginalProblem(
      { q: 'Dose?', a: 'x', b: 'y', key: 'B' },
      { shape: 'medqa', fields: { question: 'q', options: ['a', 'b'], answer_idx: 'key' }, keepFields: [] },
    );
    expect(medqa).toEqual({ ok: true, problem: { question: 'Dose?', options: { A: 'x', B: 'y' }, answer_idx: 'B' } });
  });

  it('refuses an answer that names no option', () => {
    const r = toOriginalProblem(
      { question: 'q', choices: '["a","b"]', answer: '5' },
      { shape: 'mmlu', fields: {}, keepFields: [] },
    );
    expect(r).toEqual({ ok: false, reason: 'answer 5 is not an option index (0–1)' });
    const s = toOriginalProblem(
      { context: 'c', question: 'q', answerA: 'a', answerB: 'b', answerC: 'c', label: '4' },
      { shape: 'socialiqa', fields: {}, keepFields: [] },
    );
    expect(s).toEqual({ ok: false, reason: 'label "4" names no answer (1–3)' });
  });
});

describe('loadSource', () => {
  const source = (file: string, shape: SourceTask, fields: Record<string, string | string[]> = {}) =>
    GenerationConfigSchema.parse({ task: 't', source: { file, shape, fields } }).source;

  it('CSV: bad rows are skipped and reported by the line they start on, with the reason; good rows kept', async () => {
    const file = writeFile(
      dir,
      'q.csv',
      [
        'question,a,b,answer',
        'Good one?,yes,no,A',
        '"Spans',
        'two lines",yes,no,', // missing answer; the row starts on line 3
        'Too,many,fields,A,extra',
        ',yes,no,B', // missing question
        'Bad answer,yes,no,7',
        'Last good,x,y,1',
      ].join('\n'),
    );
    const loaded = await loadSource(
      file,
      source(file, 'mmlu', { question: 'question', choices: ['a', 'b'], answer: 'answer' }),
    );
    expect(loaded.problems.map((p) => [p.line, p.problem.question, p.problem.answer])).toEqual([
      [2, 'Good one?', 0],
      [8, 'Last good', 1],
    ]);
    expect(loaded.skipped).toEqual([
      { line: 3, reason: 'missing answer (column "answer")' },
      { line: 5, reason: 'has 5 fields, the header has 4' },
      { line: 6, reason: 'missing question (column "question")' },
      { line: 7, reason: 'answer 7 is not an option index (0–1)' },
    ]);
    expect(loaded.rows).toBe(6);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('JSONL: broken lines and rows missing fields are reported; format comes from the extension', async () => {
    const file = writeFile(
      dir,
      'rows.jsonl',
      '{"problem": "1+1?", "answer": "2"}\nnot json\n[1,2]\n{"problem": "no answer"}\n\n{"problem": "3+3?", "answer": "6", "extra": 1}\n',
    );
    const loaded = await loadSource(file, source(file, 'simpleqa'));
    expect(loaded.format).toBe('jsonl');
    expect(loaded.problems).toEqual([
      { line: 1, problem: { problem: '1+1?', answer: '2' } },
      { line: 6, problem: { problem: '3+3?', answer: '6', extra: 1 } },
    ]);
    expect(loaded.skipped.map((s) => [s.line, s.reason.split(' (')[0]])).toEqual([
      [2, 'not valid JSON'],
      [3, 'not a JSON object'],
      [4, 'missing answer'],
    ]);
  });

  it('a missing file or an unknown extension is a clear error', async () => {
    await expect(loadSource(`${dir}/nope.csv`, source('nope.csv', 'math'))).rejects.toThrow('nope.csv: no such file');
    const odd = writeFile(dir, 'rows.txt', 'x');
    await expect(loadSource(odd, source(odd, 'math'))).rejects.toThrow('set source.format');
  });
});
