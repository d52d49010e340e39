import { integralFloatPaths } from '../../../shared/benchmark/json-float-paths.ts';

/** No paths: a line without floats, or a validation that did not ask for them. */
export const NO_FLOATS: ReadonlySet<string> = new Set();

/**
 * Where a whole number can be written as a float (json-float-paths.ts): a number token, after a colon, comma or
 * bracket and before a comma or closing bracket, whose fraction is only zeros (`4.0`) or which has an exponent
 * (`1e2`). Most record lines have none (a weight such as 0.25 or an id such as `22e9d128` does not match), and those
 * are not scanned at all. Text inside a string can match too; the scan then finds nothing.
 */
const MAYBE_INTEGRAL_FLOAT = /[:,[]\s*-?\d+(?:\.0+(?:[eE][+-]?\d+)?|(?:\.\d+)?[eE][+-]?\d+)\s*[,}\]]/;

/** The two parts of a record the persona profile prints. */
const PROFILE_KEYS: ReadonlySet<string> = new Set(['persona', 'persona_preferences']);

/**
 * The whole numbers a record line writes as floats (`4.0`) inside the two parts the persona profile prints, `persona`
 * and `persona_preferences`, as JSON paths from the record's root. JSON.parse keeps only the number 4, while the
 * reference (Python's json) prints 4.0; the profile takes these paths to print them as the reference does
 * (persona-profile.ts). Only these parts: nothing else of a record is printed with Python's rules from a number
 * the source wrote as a float.
 *
 * `lineText` must be a line JSON.parse has just accepted (validation parses each line once): the scan does not parse
 * it again, and steps over the rest of the record (the problem, the rubric) without reading it.
 */
export function profileFloatPaths(lineText: string): ReadonlySet<string> {
  if (!MAYBE_INTEGRAL_FLOAT.test(lineText)) return NO_FLOATS;
  const paths = integralFloatPaths(lineText, { parsed: true, onlyKeys: PROFILE_KEYS });
  return paths.size === 0 ? NO_FLOATS : paths;
}
