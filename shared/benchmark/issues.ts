/**
 * What `validate` reports. Codes are closed so that tests, the CLI's --json output and the browser can rely on them.
 */
export const ISSUE_CODES = [
  'unreadable_file',
  'empty_file',
  'no_records',
  'line_too_long',
  'not_utf8',
  'invalid_json',
  'not_an_object',
  'missing_type',
  'unknown_type',
  'schema',
  'duplicate_problem_id',
  'criterion_without_preference',
  'preference_without_criterion',
  'duplicate_criterion',
  'weights_sum',
  'problem_id_mismatch',
  'empty_gold_answer',
  'missing_image',
  'duplicate_metadata',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface ValidationIssue {
  severity: 'error' | 'warning';
  code: IssueCode;
  /** 1-based line number in the file; null for whole-file problems. */
  line: number | null;
  /** JSON path inside the line, e.g. `$.persona_preferences["Notation Density"].local_importance`; '' for none. */
  path: string;
  message: string;
}

/** Renders a property path the way people read JSON: `$.a.b[0]["key with spaces"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

export function formatIssue(file: string, issue: ValidationIssue): string {
  const where = issue.line === null ? file : `${file}:${issue.line}`;
  const path = issue.path ? ` ${issue.path}` : '';
  return `${where}: ${issue.severity}[${issue.code}]${path}: ${issue.message}`;
}
