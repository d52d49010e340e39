import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { PersonaProfileError, personaProfile } from '../../server/engine/persona-profile.ts';
import { integralFloatPaths } from '../../shared/benchmark/json-float-paths.ts';
import { pythonRepr, pythonStr } from '../../shared/benchmark/python-repr.ts';
import { RECORD_TYPE, type BenchmarkRecord } from '../../shared/schemas/benchmark.ts';

/**
 * The persona profile is a data format: the oracle and the simulated user read it, so a layout difference changes
 * what is measured. `referenceProfile` restates the reference's rule (the f-string in
 * `InteractiveEvaluator.evaluate_model`, src/environment.py) line by line with Python's semantics: `dict.get(k, d)`
 * falls back only when the key is absent, an f-string prints `str()`, `', '.join` iterates its argument. Ours must
 * agree with it on every sample record and on the edge cases, whose expected lines are what Python prints.
 */

type Dict = Record<string, unknown>;

class PythonError extends Error {}

function dictGet(d: unknown, key: string, fallback: unknown): unknown {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new PythonError(`'${typeof d}' has no .get`);
  return Object.hasOwn(d, key) ? (d as Dict)[key] : fallback;
}

function isDict(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function commaJoin(v: unknown): string {
  const items = typeof v === 'string' ? [...v] : Array.isArray(v) ? v : isDict(v) ? Object.keys(v as Dict) : null;
  if (items === null || items.some((i) => typeof i !== 'string')) throw new PythonError('join needs strings');
  return items.join(', ');
}

function referenceProfile(persona: unknown, preferences: unknown, floats?: ReadonlySet<string>): string {
  const str = (v: unknown, path: string): string => pythonStr(v, floats, path);
  const demo = dictGet(persona, 'demographics', {});
  const edu = dictGet(persona, 'educational_profile', {});
  const big5 = dictGet(persona, 'personality_big5', {});
  const trait = (name: string): string =>
    isDict(dictGet(big5, name, undefined))
      ? str(dictGet(dictGet(big5, name, {}), 'description', 'Not specified'), '-')
      : 'Not specified';
  return (
    `PERSONA PROFILE:\n` +
    `Name: ${str(dictGet(persona, 'name', 'Unknown'), '-')}\n` +
    `Summary: ${str(dictGet(persona, 'minimal_necessary_description', ''), '-')}\n` +
    `Age: ${str(dictGet(demo, 'age', '?'), '$["persona"]["demographics"]["age"]')}, ` +
    `Occupation: ${str(dictGet(demo, 'occupation', 'Unknown'), '-')}\n` +
    `Location: ${str(dictGet(demo, 'location', 'Unknown'), '-')}\n` +
    `Hobbies: ${commaJoin(dictGet(demo, 'hobbies', []))}\n` +
    `Domain expertise: ${commaJoin(dictGet(persona, 'domain_expertise', []))}\n\n` +
    `LEARNING PROFILE:\n` +
    `- Knowledge level: ${str(dictGet(edu, 'knowledge_level', 'Not specified'), '-')}\n` +
    `- Learning style: ${str(dictGet(dictGet(edu, 'cognitive_features', {}), 'learning_style', 'Not specified'), '-')}\n` +
    `- Problem-solving: ${str(dictGet(dictGet(edu, 'cognitive_features', {}), 'problem_solving', 'Not specified'), '-')}\n` +
    `- Confidence: ${str(dictGet(dictGet(edu, 'affective_features', {}), 'confidence', 'Not specified'), '-')}\n` +
    `- Anxiety triggers: ${str(dictGet(dictGet(edu, 'affective_features', {}), 'anxiety_triggers', 'Not specified'), '-')}\n` +
    `- Motivation: ${str(dictGet(dictGet(edu, 'affective_features', {}), 'motivation', 'Not specified'), '-')}\n\n` +
    `PERSONALITY:\n` +
    `- Openness: ${trait('openness')}\n` +
    `- Conscientiousness: ${trait('conscientiousness')}\n` +
    `- Social style: ${trait('extraversion')}\n\n` +
    `BACKSTORY: ${str(dictGet(persona, 'backstory', 'No backstory provided'), '-')}\n\n` +
    `PREFERECES:${pythonRepr(preferences, floats, '$["persona_preferences"]')}`
  );
}

const sampleLines = readFileSync(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const samples = sampleLines
  .map((line) => JSON.parse(line) as Dict)
  .filter((r) => r.type === RECORD_TYPE) as BenchmarkRecord[];

/** Parses a record line as the engine gets it, with the floats its text writes (`4.0`) located. */
function fromLine(line: string): { record: BenchmarkRecord; floats: Set<string> } {
  return { record: JSON.parse(line) as BenchmarkRecord, floats: integralFloatPaths(line) };
}

const EDGE_FLOATS_AND_NON_ASCII = String.raw`{"type":"personalized_problem","persona":{"id":"x_1","name":"José Núñez 😀","demographics":{"age":47.0,"hobbies":[]},"educational_profile":{"knowledge_level":"","cognitive_features":{"learning_style":null}},"personality_big5":{"openness":{"score":4.0},"conscientiousness":{"score":3,"description":""},"extraversion":"outgoing"},"backstory":null},"persona_preferences":{"Café\u00a0style":{"value":4.0,"local_importance":5,"justification":"zero\u200bwidth, tab\t, it's \"quoted\"","type":"personal","weight":1e-05,"big":1E2}}}`;
const EDGE_NOTHING = '{"type":"personalized_problem","persona":{"id":"x_2","name":"A B"},"persona_preferences":{}}';
const EDGE_ODD_TYPES = String.raw`{"type":"personalized_problem","persona":{"id":"x_3","name":"Ann Lee","minimal_necessary_description":"Ümlaut — ‘curly’ ☃","demographics":{"age":"47","occupation":"","location":null,"hobbies":"abc"},"domain_expertise":{"chess":1,"go":2},"educational_profile":{"affective_features":{"confidence":true,"motivation":[1,"two",null]}},"personality_big5":{},"backstory":""},"persona_preferences":{"k":{"value":[1.5,"x"],"local_importance":2.0,"justification":"line\nbreak\\","type":"expertise"}}}`;

describe('persona profile = the reference rule', () => {
  it('matches the restated rule on every sample record', () => {
    expect(samples).toHaveLength(64);
    for (const record of samples) {
      expect(personaProfile(record)).toBe(referenceProfile(record.persona, record.persona_preferences));
    }
  });

  it('keeps the layout: "- " on the nine profile and personality lines, text on the BACKSTORY and PREFERECES lines', () => {
    const lines = personaProfile(samples[0] as BenchmarkRecord).split('\n');
    expect(lines.filter((l) => l.startsWith('- ')).map((l) => l.slice(2, l.indexOf(':')))).toEqual([
      'Knowledge level',
      'Learning style',
      'Problem-solving',
      'Confidence',
      'Anxiety triggers',
      'Motivation',
      'Openness',
      'Conscientiousness',
      'Social style',
    ]);
    expect(lines.at(-3)).toMatch(/^BACKSTORY: \S/);
    expect(lines.at(-1)).toMatch(/^PREFERECES:\{'/);
    expect(lines).toHaveLength(24);
  });

  it('prints floats, non-ASCII and empty or null fields as Python does', () => {
    const { record, floats } = fromLine(EDGE_FLOATS_AND_NON_ASCII);
    const ours = personaProfile(record, { integralFloats: floats });
    expect(ours).toBe(referenceProfile(record.persona, record.persona_preferences, floats));
    const lines = ours.split('\n');
    // Python's output for this record, line by line.
    expect(lines.slice(0, 7)).toEqual([
      'PERSONA PROFILE:',
      'Name: José Núñez 😀',
      'Summary: ',
      'Age: 47.0, Occupation: Unknown',
      'Location: Unknown',
      'Hobbies: ',
      'Domain expertise: ',
    ]);
    expect(lines.slice(9, 11)).toEqual(['- Knowledge level: ', '- Learning style: None']);
    expect(lines.slice(17, 20)).toEqual([
      '- Openness: Not specified',
      '- Conscientiousness: ',
      '- Social style: Not specified',
    ]);
    expect(lines[21]).toBe('BACKSTORY: None');
    expect(lines[23]).toBe(
      String.raw`PREFERECES:{'Café\xa0style': {'value': 4.0, 'local_importance': 5, 'justification': 'zero\u200bwidth, tab\t, it\'s "quoted"', 'type': 'personal', 'weight': 1e-05, 'big': 100.0}}`,
    );
    // Without the source's float positions the number is all JSON.parse kept.
    expect(personaProfile(record)).toContain('Age: 47, ');
  });

  it('prints the reference defaults for a persona with nothing but a name', () => {
    const { record } = fromLine(EDGE_NOTHING);
    expect(personaProfile(record)).toBe(
      [
        'PERSONA PROFILE:',
        'Name: A B',
        'Summary: ',
        'Age: ?, Occupation: Unknown',
        'Location: Unknown',
        'Hobbies: ',
        'Domain expertise: ',
        '',
        'LEARNING PROFILE:',
        '- Knowledge level: Not specified',
        '- Learning style: Not specified',
        '- Problem-solving: Not specified',
        '- Confidence: Not specified',
        '- Anxiety triggers: Not specified',
        '- Motivation: Not specified',
        '',
        'PERSONALITY:',
        '- Openness: Not specified',
        '- Conscientiousness: Not specified',
        '- Social style: Not specified',
        '',
        'BACKSTORY: No backstory provided',
        '',
        'PREFERECES:{}',
      ].join('\n'),
    );
  });

  it('prints values of other types with str(), as an f-string does', () => {
    const { record, floats } = fromLine(EDGE_ODD_TYPES);
    const ours = personaProfile(record, { integralFloats: floats });
    expect(ours).toBe(referenceProfile(record.persona, record.persona_preferences, floats));
    const lines = ours.split('\n');
    expect(lines.slice(2, 7)).toEqual([
      'Summary: Ümlaut — ‘curly’ ☃',
      'Age: 47, Occupation: ',
      'Location: None',
      'Hobbies: a, b, c',
      'Domain expertise: chess, go',
    ]);
    expect(lines.slice(12, 15)).toEqual([
      '- Confidence: True',
      '- Anxiety triggers: Not specified',
      "- Motivation: [1, 'two', None]",
    ]);
    expect(lines[21]).toBe('BACKSTORY: ');
    expect(lines[23]).toBe(
      String.raw`PREFERECES:{'k': {'value': [1.5, 'x'], 'local_importance': 2.0, 'justification': 'line\nbreak\\', 'type': 'expertise'}}`,
    );
  });

  it('refuses what the reference cannot render, as its code raises there', () => {
    const bigFiveText = { persona: { id: 'x_4', name: 'C D', personality_big5: 'calm' }, persona_preferences: {} };
    expect(() => referenceProfile(bigFiveText.persona, {})).toThrow(PythonError);
    expect(() => personaProfile(bigFiveText as unknown as BenchmarkRecord)).toThrow(PersonaProfileError);
    const numberHobbies = {
      persona: { id: 'x_5', name: 'E F', demographics: { hobbies: [1, 2] } },
      persona_preferences: {},
    };
    expect(() => referenceProfile(numberHobbies.persona, {})).toThrow(PythonError);
    expect(() => personaProfile(numberHobbies as unknown as BenchmarkRecord)).toThrowError(
      /\$\["persona"\]\["demographics"\]\["hobbies"\] is not a list of strings/,
    );
  });
});

describe('integralFloatPaths', () => {
  it('finds the whole numbers written as floats, and only those', () => {
    expect([
      ...integralFloatPaths('{"a": 4.0, "b": [1, 2.5, 3e0, -0.0], "c": {"d e": 1E2, "f": 7}, "g": "4.0"}'),
    ]).toEqual(['$["a"]', '$["b"][2]', '$["b"][3]', '$["c"]["d e"]']);
    expect(integralFloatPaths('[]').size).toBe(0);
    expect(() => integralFloatPaths('{"a": 4.0')).toThrow(SyntaxError);
  });
});
