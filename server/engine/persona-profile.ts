import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { childPath, pythonRepr, pythonStr } from '../../shared/benchmark/python-repr.ts';
import { attachedIntegralFloats } from '../../shared/benchmark/record-floats.ts';

type Loose = Record<string, unknown>;

/** The record holds a value where the reference's profile code raises (it then skips the record): we refuse it too. */
export class PersonaProfileError extends Error {
  constructor(path: string, what: string) {
    super(`persona profile: ${path} ${what}; the reference cannot render this record either`);
    this.name = 'PersonaProfileError';
  }
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ProfileOptions {
  /**
   * JSON paths, from the record's root (`$`), of the whole numbers the source file wrote as floats (`4.0`), so they
   * print as Python prints them (`integralFloatPaths` in shared/benchmark/json-float-paths.ts). Without them, the
   * paths storage attached to a record it read are used (shared/benchmark/record-floats.ts); a record with neither
   * prints such numbers as whole numbers.
   */
  integralFloats?: ReadonlySet<string>;
}

/**
 * The persona profile string the oracle's system prompt and the simulated user both receive, built by the reference's
 * rule (the f-string in `InteractiveEvaluator.evaluate_model`, src/environment.py) so that model and simulator see
 * the same text: its field order and labels, the `- ` prefix on the nine LEARNING PROFILE and PERSONALITY lines, the
 * text straight after `BACKSTORY: ` and `PREFERECES:` (sic), only three Big Five descriptions (extraversion as
 * "Social style"), and the preferences as the Python repr of the whole `persona_preferences` dict.
 *
 * Values print as a Python f-string prints them (`str()`: `None`, `True`, `4.0`, a list's repr), and a missing field
 * as the reference's default for it: `dict.get(key, default)` only falls back when the key is absent, so a present
 * `null` prints `None` and a present `""` prints nothing. Where the reference's code would raise (a section that is
 * not an object, hobbies that cannot be joined), this throws PersonaProfileError.
 */
export function personaProfile(
  record: Pick<BenchmarkRecord, 'persona' | 'persona_preferences'>,
  options: ProfileOptions = {},
): string {
  // Records are never changed once read, and a live episode's seats ask for the same profile every turn (each twin
  // reply builds a seat): rendered once per record and float set. The profile was 1.7% of the live loop's time at
  // 1,000 persons (npm run bench:live with BENCH_LIVE_CPU_PROF).
  const byFloats = profiles.get(record) ?? new Map<ReadonlySet<string> | null, string>();
  const key = options.integralFloats ?? null;
  const known = byFloats.get(key);
  if (known !== undefined) return known;
  const profile = renderProfile(record, options);
  byFloats.set(key, profile);
  profiles.set(record, byFloats);
  return profile;
}

const profiles = new WeakMap<object, Map<ReadonlySet<string> | null, string>>();

function renderProfile(
  record: Pick<BenchmarkRecord, 'persona' | 'persona_preferences'>,
  options: ProfileOptions,
): string {
  const floats = options.integralFloats ?? attachedIntegralFloats(record);
  const personaPath = childPath('$', 'persona');

  /** `section.get(key, default)`, printed with str(). */
  const get = (section: Loose, path: string, key: string, missing: string): string =>
    Object.hasOwn(section, key) ? pythonStr(section[key], floats, childPath(path, key)) : missing;

  /** `section.get(key, {})`, which must be a dict for the next `.get` to work. */
  const sub = (section: Loose, path: string, key: string): [Loose, string] => {
    const at = childPath(path, key);
    if (!Object.hasOwn(section, key)) return [{}, at];
    const value = section[key];
    if (!isObject(value)) throw new PersonaProfileError(at, 'is not an object');
    return [value, at];
  };

  /** `', '.join(section.get(key, []))`: Python joins the items of a list, the characters of a string, a dict's keys. */
  const joined = (section: Loose, path: string, key: string): string => {
    const at = childPath(path, key);
    const value = Object.hasOwn(section, key) ? section[key] : [];
    const items =
      typeof value === 'string'
        ? [...value]
        : Array.isArray(value)
          ? value
          : isObject(value)
            ? Object.keys(value)
            : null;
    if (items === null || items.some((item) => typeof item !== 'string'))
      throw new PersonaProfileError(at, 'is not a list of strings');
    return (items as string[]).join(', ');
  };

  /** A Big Five description, shown only when the trait is a dict, as the reference's `isinstance` test does. */
  const trait = (big5: Loose, path: string, name: string): string => {
    const value = Object.hasOwn(big5, name) ? big5[name] : undefined;
    return isObject(value) ? get(value, childPath(path, name), 'description', 'Not specified') : 'Not specified';
  };

  const persona = record.persona as Loose;
  const [demo, demoPath] = sub(persona, personaPath, 'demographics');
  const [edu, eduPath] = sub(persona, personaPath, 'educational_profile');
  const [cognitive, cognitivePath] = sub(edu, eduPath, 'cognitive_features');
  const [affective, affectivePath] = sub(edu, eduPath, 'affective_features');
  const [big5, big5Path] = sub(persona, personaPath, 'personality_big5');
  const preferences = pythonRepr(record.persona_preferences, floats, childPath('$', 'persona_preferences'));

  return [
    'PERSONA PROFILE:',
    `Name: ${get(persona, personaPath, 'name', 'Unknown')}`,
    `Summary: ${get(persona, personaPath, 'minimal_necessary_description', '')}`,
    `Age: ${get(demo, demoPath, 'age', '?')}, Occupation: ${get(demo, demoPath, 'occupation', 'Unknown')}`,
    `Location: ${get(demo, demoPath, 'location', 'Unknown')}`,
    `Hobbies: ${joined(demo, demoPath, 'hobbies')}`,
    `Domain expertise: ${joined(persona, personaPath, 'domain_expertise')}`,
    '',
    'LEARNING PROFILE:',
    `- Knowledge level: ${get(edu, eduPath, 'knowledge_level', 'Not specified')}`,
    `- Learning style: ${get(cognitive, cognitivePath, 'learning_style', 'Not specified')}`,
    `- Problem-solving: ${get(cognitive, cognitivePath, 'problem_solving', 'Not specified')}`,
    `- Confidence: ${get(affective, affectivePath, 'confidence', 'Not specified')}`,
    `- Anxiety triggers: ${get(affective, affectivePath, 'anxiety_triggers', 'Not specified')}`,
    `- Motivation: ${get(affective, affectivePath, 'motivation', 'Not specified')}`,
    '',
    'PERSONALITY:',
    `- Openness: ${trait(big5, big5Path, 'openness')}`,
    `- Conscientiousness: ${trait(big5, big5Path, 'conscientiousness')}`,
    `- Social style: ${trait(big5, big5Path, 'extraversion')}`,
    '',
    `BACKSTORY: ${get(persona, personaPath, 'backstory', 'No backstory provided')}`,
    '',
    `PREFERECES:${preferences}`,
  ].join('\n');
}
