import type { NormalizedProblem } from '../schemas/problem.ts';

/**
 * Turns a record's problem into the evaluator's view, exactly as the reference's `normalize_problem`
 * does, so prompts built from it match the reference byte for byte.
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

/** Python `str()` of a scalar, for option texts that are not strings in the source row. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  return String(value);
}

export function letter(index: number): string {
  return String.fromCharCode(65 + index);
}

export function normalizeOptions(row: Row): Record<string, string> {
  const raw = truthy(row.choices) ? row.choices : row.options;
  if (isRow(raw) && truthy(raw)) {
    if (Array.isArray(raw.label) && Array.isArray(raw.text)) {
      const options: Record<string, string> = {};
      raw.label.forEach((label, i) => {
        options[asText(label)] = asText((raw.text as unknown[])[i]);
      });
      return options;
    }
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, asText(v)]));
  }
  if (Array.isArray(raw) && raw.length > 0) {
    return Object.fromEntries(raw.map((text, i) => [letter(i), asText(text)]));
  }
  const options: Record<string, string> = {};
  SOCIAL_IQA_KEYS.forEach((key, i) => {
    if (truthy(row[key])) options[letter(i)] = asText(row[key]);
  });
  return options;
}

function normalizeAnswer(row: Row, options: Record<string, string>): string | number {
  const key = ANSWER_KEYS.find((k) => row[k] !== null && row[k] !== undefined);
  if (key === undefined) return '';
  const value = row[key];
  const hasOptions = Object.keys(options).length > 0;
  if (typeof value === 'number' && Number.isInteger(value) && hasOptions) return letter(value);
  // SocialIQA labels are 1-indexed digit strings ("1" → A).
  if (key === 'label' && typeof value === 'string' && /^\d+$/.test(value))
    return String.fromCharCode(64 + Number(value));
  if (typeof value === 'number' || typeof value === 'string') return value;
  return asText(value);
}

export function normalizeProblem(record: { original_problem?: unknown; parsed_problem?: unknown }): NormalizedProblem {
  const parsed = record.parsed_problem;
  if (isRow(parsed) && truthy(parsed.question)) {
    return {
      ...parsed,
      question: asText(parsed.question),
      options: isRow(parsed.options)
        ? Object.fromEntries(Object.entries(parsed.options).map(([k, v]) => [k, asText(v)]))
        : {},
      answer: typeof parsed.answer === 'number' ? parsed.answer : asText(parsed.answer ?? ''),
      solution: typeof parsed.solution === 'string' ? parsed.solution : null,
      image: typeof parsed.image === 'string' ? parsed.image : null,
    };
  }
  const row: Row = isRow(record.original_problem) ? record.original_problem : {};
  const questionKey = QUESTION_KEYS.find((k) => truthy(row[k]));
  let question = questionKey ? asText(row[questionKey]) : '';
  if (truthy(row.context)) question = `${asText(row.context)}\n\n${question}`;
  const options = normalizeOptions(row);
  const solutionParts = [row.lecture, row.solution].filter(truthy).map(asText);
  return {
    question,
    options,
    answer: normalizeAnswer(row, options),
    solution: solutionParts.length > 0 ? solutionParts.join('\n\n') : null,
    image: typeof row.image === 'string' && row.image !== '' ? row.image : null,
  };
}
