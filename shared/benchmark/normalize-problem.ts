import type { NormalizedProblem } from '../schemas/problem.ts';
import { pythonRepr, pythonStr } from './python-repr.ts';

/**
 * Turns a record's problem into the evaluator's view as the reference's `normalize_problem` does. Where a JSON file
 * cannot tell us what Python would see (2.0 against 2, the order of integer-like keys), we differ; docs/data-formats.md
 * lists those cases.
 */

type Row = Record<string, unknown>;

const QUESTION_KEYS = ['query', 'question', 'problem', 'Question', 'prompt'] as const;
const ANSWER_KEYS = [
  'correct_answer',
  'answerKey',
  'correct_option',
  'answer_idx',
  'Answer',
  'answer',
  'label',
] as const;
const SOCIAL_IQA_KEYS = ['answerA', 'answerB', 'answerC', 'answerD'] as const;

/** Python truthiness, which the reference relies on when it picks the first field "that is set". */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python `str()` of a value, as the reference's f-strings print it (a list or dict as its repr). */
function asText(value: unknown): string {
  return pythonStr(value);
}

export function letter(index: number): string {
  return String.fromCharCode(65 + index);
}

/** The options as the reference holds them: keys and values as the source row has them, in its order. */
type RawOptions = [key: unknown, value: unknown][];

/** The reference's `_as_options`: label/text lists zipped (to the shorter), any other dict as is, a list lettered. */
function asOptions(value: unknown): RawOptions {
  if (!truthy(value)) return [];
  if (isRow(value)) {
    if (Array.isArray(value.label) && Array.isArray(value.text)) {
      const texts = value.text;
      // dict(zip(...)): as many pairs as the shorter list; a repeated label keeps its first place and its last text.
      const pairs = new Map<string, [unknown, unknown]>();
      value.label.slice(0, texts.length).forEach((label, i) => {
        const key = pythonRepr(label);
        pairs.set(key, [pairs.get(key)?.[0] ?? label, texts[i]]);
      });
      return [...pairs.values()];
    }
    return Object.entries(value);
  }
  if (Array.isArray(value)) return value.map((text, i) => [letter(i), text]);
  return [];
}

function rawOptions(row: Row): RawOptions {
  const options = asOptions(truthy(row.choices) ? row.choices : row.options);
  if (options.length > 0) return options;
  // SocialIQA's answerA–answerD: every one that is set, an empty string included (the reference tests `is not None`).
  return SOCIAL_IQA_KEYS.filter((key) => row[key] !== null && row[key] !== undefined).map((key) => [
    key.slice(-1),
    row[key],
  ]);
}

/** The options as text (`str()` of key and value, as the reference's opening message prints them). */
function optionTexts(options: RawOptions): Record<string, string> {
  return Object.fromEntries(options.map(([k, v]) => [asText(k), asText(v)]));
}

/** Python's repr of the options dict, as the reference's correctness prompt prints it: `{'A': 5, 1: 'x'}`. */
function optionsRepr(options: RawOptions): string {
  return `{${options.map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

export function normalizeOptions(row: Row): Record<string, string> {
  return optionTexts(rawOptions(row));
}

function normalizeAnswer(row: Row, hasOptions: boolean): string | number {
  const key = ANSWER_KEYS.find((k) => row[k] !== null && row[k] !== undefined);
  if (key === undefined) return '';
  const value = row[key];
  // Python's bool is an int: with options, True is "B" and False "A". (A float the file writes as 2.0 is no int to
  // the reference and stays 2.0; JSON.parse cannot tell it from 2, so here it becomes "C": docs/data-formats.md.)
  const index = typeof value === 'boolean' ? Number(value) : value;
  if (typeof index === 'number' && Number.isInteger(index) && hasOptions && 65 + index >= 0 && 65 + index <= 0x10ffff)
    return String.fromCodePoint(65 + index);
  // SocialIQA labels are 1-indexed digit strings ("1" → A).
  if (key === 'label' && typeof value === 'string' && /^\d+$/.test(value))
    return String.fromCodePoint(64 + Number(value));
  if (typeof value === 'number' || typeof value === 'string') return value;
  return asText(value);
}

/** `options` as text, plus `optionsRepr` only where the Python repr of the raw options differs from that of the text. */
function withOptions(options: RawOptions): Pick<NormalizedProblem, 'options' | 'optionsRepr'> {
  const texts = optionTexts(options);
  const repr = optionsRepr(options);
  return repr === pythonRepr(texts) ? { options: texts } : { options: texts, optionsRepr: repr };
}

/**
 * The reference's `normalize_problem` (src/benchmark_data.py), rule for rule: a `parsed_problem` with a question is
 * used as it is; otherwise the source row is `original_problem` (the record itself when that key is absent; a value
 * that is not an object becomes the question's text).
 */
export function normalizeProblem(record: { original_problem?: unknown; parsed_problem?: unknown }): NormalizedProblem {
  const parsed = record.parsed_problem;
  if (isRow(parsed) && truthy(parsed.question)) {
    return {
      ...parsed,
      question: asText(parsed.question),
      ...withOptions(isRow(parsed.options) ? Object.entries(parsed.options) : []),
      answer: typeof parsed.answer === 'number' ? parsed.answer : asText(parsed.answer ?? ''),
      solution: typeof parsed.solution === 'string' ? parsed.solution : null,
      image: typeof parsed.image === 'string' ? parsed.image : null,
    };
  }
  const source: unknown = Object.hasOwn(record, 'original_problem') ? record.original_problem : record;
  if (!isRow(source)) return { question: asText(source), options: {}, answer: '', solution: null, image: null };
  const row = source;
  const questionKey = QUESTION_KEYS.find((k) => truthy(row[k]));
  const question = questionKey ? asText(row[questionKey]) : '';
  const context = row.context;
  const text = truthy(context) ? (question !== '' ? `${asText(context)}\n\n${question}` : asText(context)) : question;
  const options = rawOptions(row);
  // lecture and solution, each unless absent, None or "" (0, [] and false are kept, printed as Python prints them).
  const solutionParts = [row.lecture, row.solution]
    .filter((v) => v !== null && v !== undefined && v !== '')
    .map(asText);
  return {
    question: text,
    ...withOptions(options),
    answer: normalizeAnswer(row, options.length > 0),
    solution: solutionParts.length > 0 ? solutionParts.join('\n\n') : null,
    image: typeof row.image === 'string' && row.image !== '' ? row.image : null,
  };
}
