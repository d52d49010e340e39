import { letter } from '../../shared/benchmark/normalize-problem.ts';
import type { SourceTask } from '../../shared/benchmark/source-task.ts';
import type { FieldSource, SourceConfig } from '../../shared/schemas/generation-config.ts';

/**
 * The reference's ten source shapes as field specifications: which fields a row of that dataset
 * must have and of what kind, so a CSV export or a JSONL dump can be turned into the exact `original_problem` the
 * reference would have stored, and a row that cannot be is reported instead of producing a record without a question
 * or a gold answer.
 */

type FieldKind =
  | 'text'
  /** A 0-based option index (CSV digits become a number; a letter A, B… becomes 0, 1…). */
  | 'index'
  /** A list of option texts. */
  | 'list'
  /** Options keyed by letter, `{A: …, B: …}` (MedQA). */
  | 'letter-dict'
  /** `{label: [...], text: [...]}` (CommonsenseQA). */
  | 'label-text'
  /** A letter naming one of the options (`answer_idx`, `answerKey`). */
  | 'letter'
  /** A 1-based digit string ("1"–"3", SocialIQA's `label`). */
  | 'digit';

interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
}

const req = (name: string, kind: FieldKind = 'text'): FieldSpec => ({ name, kind, required: true });
const opt = (name: string, kind: FieldKind = 'text'): FieldSpec => ({ name, kind, required: false });

export const SHAPE_FIELDS: Record<SourceTask, FieldSpec[]> = {
  math: [req('problem'), opt('solution'), req('answer'), opt('subject'), opt('level'), opt('unique_id')],
  aime: [req('Question'), req('Answer')],
  logiqa: [req('context'), req('query'), req('options', 'list'), req('correct_option', 'index')],
  mascqa: [req('question'), req('correct_answer')],
  scienceqa: [
    req('question'),
    req('choices', 'list'),
    req('answer', 'index'),
    opt('hint'),
    opt('lecture'),
    opt('solution'),
    opt('image'),
  ],
  mmlu: [req('question'), opt('subject'), req('choices', 'list'), req('answer', 'index')],
  simpleqa: [req('problem'), req('answer')],
  medqa: [req('question'), opt('answer'), req('options', 'letter-dict'), req('answer_idx', 'letter')],
  commonsenseqa: [req('question'), req('choices', 'label-text'), req('answerKey', 'letter')],
  socialiqa: [req('context'), req('question'), req('answerA'), req('answerB'), req('answerC'), req('label', 'digit')],
};

type Row = Record<string, unknown>;
export type ShapeResult = { ok: true; problem: Row } | { ok: false; reason: string };

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** CSV cells are strings; a cell holding a JSON array or object is read as one, so lists fit in one column. */
function jsonCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('[') || t.startsWith('{'))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The raw value of a shape field: one column, or several columns as a list (empty cells dropped). */
function rawValue(row: Row, source: FieldSource): unknown {
  if (typeof source === 'string') return row[source];
  return source.map((column) => row[column]).filter((v) => !isEmpty(v));
}

function columnsOf(source: FieldSource): string {
  return typeof source === 'string' ? `column "${source}"` : `columns ${source.map((c) => `"${c}"`).join(', ')}`;
}

type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

function coerce(kind: FieldKind, raw: unknown): Coerced {
  const value = jsonCell(raw);
  switch (kind) {
    case 'text':
      return { ok: true, value: raw };
    case 'index': {
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { ok: true, value };
      if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return { ok: true, value: Number(value) };
      // Spreadsheets usually hold the answer as a letter; the shape stores the index the dataset would have.
      if (typeof value === 'string' && /^\s*[A-Za-z]\s*$/.test(value))
        return { ok: true, value: value.trim().toUpperCase().charCodeAt(0) - 65 };
      return { ok: false, reason: `expected a 0-based option index or an option letter, got ${JSON.stringify(value)}` };
    }
    case 'list': {
      if (Array.isArray(value) && value.length >= 2) return { ok: true, value: value.map(textOf) };
      return { ok: false, reason: 'expected at least two options (a JSON array, or a list of columns)' };
    }
    case 'letter-dict': {
      if (Array.isArray(value) && value.length >= 2)
        return { ok: true, value: Object.fromEntries(value.map((v, i) => [letter(i), textOf(v)])) };
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length >= 2)
        return { ok: true, value };
      return { ok: false, reason: 'expected at least two options keyed by letter' };
    }
    case 'label-text': {
      if (Array.isArray(value) && value.length >= 2)
        return { ok: true, value: { label: value.map((_, i) => letter(i)), text: value.map(textOf) } };
      const v = value as { label?: unknown; text?: unknown } | null;
      if (
        v &&
        Array.isArray(v.label) &&
        Array.isArray(v.text) &&
        v.label.length === v.text.length &&
        v.label.length >= 2
      )
        return { ok: true, value };
      return { ok: false, reason: 'expected {"label": [...], "text": [...]} or a list of option columns' };
    }
    case 'letter': {
      if (typeof value === 'string' && /^\s*[A-Za-z]\s*$/.test(value))
        return { ok: true, value: value.trim().toUpperCase() };
      return { ok: false, reason: `expected an option letter, got ${JSON.stringify(value)}` };
    }
    case 'digit': {
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text === 'string' && /^\s*[1-9]\s*$/.test(text)) return { ok: true, value: text.trim() };
      return { ok: false, reason: `expected a 1-based digit label ("1", "2", …), got ${JSON.stringify(value)}` };
    }
  }
}

/** The option labels a shape's answer letter or index must name. */
function optionCount(shape: SourceTask, problem: Row): number {
  if (shape === 'socialiqa')
    return ['answerA', 'answerB', 'answerC', 'answerD'].filter((k) => !isEmpty(problem[k])).length;
  const options = problem.options ?? problem.choices;
  if (Array.isArray(options)) return options.length;
  const labelled = options as { label?: unknown[] } | undefined;
  if (labelled && Array.isArray(labelled.label)) return labelled.label.length;
  return options && typeof options === 'object' ? Object.keys(options).length : 0;
}

function answerMatchesOptions(shape: SourceTask, problem: Row): string | null {
  if (shape === 'logiqa' || shape === 'mmlu' || shape === 'scienceqa') {
    const key = shape === 'logiqa' ? 'correct_option' : 'answer';
    const index = problem[key] as number;
    const n = optionCount(shape, problem);
    return index < n ? null : `${key} ${index} is not an option index (0–${n - 1})`;
  }
  if (shape === 'medqa') {
    const options = problem.options as Row;
    return String(problem.answer_idx) in options
      ? null
      : `answer_idx "${String(problem.answer_idx)}" is not one of the options ${Object.keys(options).join(', ')}`;
  }
  if (shape === 'commonsenseqa') {
    const labels = (problem.choices as { label: unknown[] }).label.map(String);
    return labels.includes(String(problem.answerKey))
      ? null
      : `answerKey "${String(problem.answerKey)}" is not one of the labels ${labels.join(', ')}`;
  }
  if (shape === 'socialiqa') {
    const n = optionCount(shape, problem);
    return Number(problem.label) <= n ? null : `label "${String(problem.label)}" names no answer (1–${n})`;
  }
  return null;
}

/**
 * Builds `original_problem` from one source row, or says why the row cannot be used (every missing required field
 * is named, with the column it was read from).
 */
export function toOriginalProblem(
  row: Row,
  source: Pick<SourceConfig, 'shape' | 'fields' | 'keepFields'>,
): ShapeResult {
  const mapped = Object.keys(source.fields).length > 0;
  const problem: Row = mapped ? {} : { ...row };
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const spec of SHAPE_FIELDS[source.shape]) {
    const from = source.fields[spec.name] ?? spec.name;
    const raw = rawValue(row, from);
    if (isEmpty(raw)) {
      if (spec.required) missing.push(`${spec.name} (${columnsOf(from)})`);
      else delete problem[spec.name];
      continue;
    }
    const coerced = coerce(spec.kind, raw);
    if (coerced.ok) problem[spec.name] = coerced.value;
    else invalid.push(`${spec.name} (${columnsOf(from)}): ${coerced.reason}`);
  }
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')}` };
  if (invalid.length > 0) return { ok: false, reason: invalid.join('; ') };
  const mismatch = answerMatchesOptions(source.shape, problem);
  if (mismatch) return { ok: false, reason: mismatch };
  if (mapped) {
    for (const column of source.keepFields) if (row[column] !== undefined) problem[column] = row[column];
  }
  return { ok: true, problem };
}

/** Unknown mapping targets are almost always typos; the config loader reports them. */
export function unknownMappedFields(source: Pick<SourceConfig, 'shape' | 'fields'>): string[] {
  const known = new Set(SHAPE_FIELDS[source.shape].map((f) => f.name));
  return Object.keys(source.fields).filter((f) => !known.has(f));
}
