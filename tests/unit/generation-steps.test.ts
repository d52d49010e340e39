import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import type { Preference } from '../../shared/schemas/preference.ts';
import { cleanDimensionName, dimensionKey } from '../../server/generation/dimension-names.ts';
import { dedupeProposals, DimensionLibrary } from '../../server/generation/dimension-library.ts';
import { proposalSchema, proposeDimensions } from '../../server/generation/dimension-proposal.ts';
import type { Dimension } from '../../server/generation/dimension.ts';
import type { GenerationContext } from '../../server/generation/generation-call.ts';
import { StepFailure } from '../../server/generation/generation-errors.ts';
import { asRecordPersona } from '../../server/generation/generation-text.ts';
import { generateGeneralDimensions } from '../../server/generation/general-dimensions.ts';
import { instantiatePreferences, instantiationSchema } from '../../server/generation/preference-instantiation.ts';
import { buildRubric, rubricWeights } from '../../server/generation/rubric-builder.ts';
import { rngFor } from '../../server/generation/seeded.ts';
import { keepPreferences } from '../../server/generation/sparsity.ts';
import { MeteredProvider } from '../../server/models/metered-provider.ts';
import type { ModelProvider, ModelRequest } from '../../server/models/model-provider.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { RecordingProvider } from '../support/recording-provider.ts';

const persona = asRecordPersona(
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'personas', 'chen_1fbf586b.json'), 'utf8')) as LibraryPersona,
);
const problem = {
  question: 'A loan of $10,000 at 5% simple interest: how much interest is paid over 3 years?',
  choices: ['$500', '$1,000', '$1,500', '$1,576'],
  answer: 2,
};

function context(provider: ModelProvider, maxTries = 3): GenerationContext {
  return { provider, maxTries, temperature: 0.7, signal: new AbortController().signal };
}
const scripted = (): MeteredProvider => new MeteredProvider(new ScriptedProvider(SCRIPTED_MODEL));
const dim = (name: string, type = 'personal'): Dimension => ({
  name,
  description: `about ${name}`,
  value_range: '1-5',
  type,
});

describe('dimension names', () => {
  it('strips "Preference for"-style openings and compares names ignoring case and punctuation', () => {
    expect(cleanDimensionName('Preference for visual aids')).toBe('Visual aids');
    expect(cleanDimensionName('  Desire  for Humour ')).toBe('Humour');
    expect(cleanDimensionName('Need to see the big picture')).toBe('See the big picture');
    expect(cleanDimensionName('Comfort with Recursion')).toBe('Comfort with Recursion');
    expect(dimensionKey('Step-by-Step Structure')).toBe(dimensionKey('step by step   structure'));
  });
});

describe('dimension proposal', () => {
  it('the scripted model proposes exactly N dimensions, 2 of them expertise about this problem', async () => {
    const dims = await proposeDimensions(context(scripted()), {
      persona,
      problem,
      shape: 'mmlu',
      problemContext: 'question',
      count: 8,
      expertise: { min: 2, max: 3 },
    });
    expect(dims).toHaveLength(8);
    expect(dims.filter((d) => d.type === 'expertise').map((d) => d.name)).toEqual([
      expect.stringMatching(/^Comfort with /),
      expect.stringMatching(/^Familiarity with /),
    ]);
    expect(new Set(dims.map((d) => dimensionKey(d.name))).size).toBe(8);
    expect(dims.some((d) => /^(preference|desire|need) (for|of|to)/i.test(d.name))).toBe(false);
  });

  it('rejects a wrong count or expertise share with the reason, and a wrong reply is asked for again', async () => {
    const schema = proposalSchema(3, { min: 2, max: 3 });
    const bad = schema.safeParse({ dimensions: [dim('A'), dim('B')] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual([
      'expected exactly 3 dimensions, got 2',
      'expected 2–3 dimensions of type "expertise", got 0',
    ]);
    const good = {
      dimensions: [
        dim('Comfort with Interest', 'Expertise'),
        dim('Familiarity with Loans', 'expertise'),
        { ...dim('Preference for Cash Examples'), type: 'personal' },
      ],
    };
    const replies = [JSON.stringify({ dimensions: [dim('A'), dim('B'), dim('C')] }), JSON.stringify(good)];
    const provider = new RecordingProvider((_r, i) => replies[i] ?? '');
    const dims = await proposeDimensions(context(provider), {
      persona,
      problem,
      shape: 'mmlu',
      problemContext: 'question',
      count: 3,
      expertise: { min: 2, max: 3 },
    });
    expect(dims.map((d) => [d.name, d.type])).toEqual([
      ['Comfort with Interest', 'expertise'],
      ['Familiarity with Loans', 'expertise'],
      ['Cash Examples', 'personal'],
    ]);
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1]?.messages.at(-1)?.content).toContain(
      'expected 2–3 dimensions of type "expertise", got 0',
    );
    // The prompt shows the options, and the MedQA caretaker note only for MedQA.
    expect(provider.requests[0]?.messages[1]?.content).toContain('C. $1,500');
    expect(provider.requests[0]?.messages[1]?.content).not.toContain('caretaker');
  });

  it('gives up after maxTries with every reason', async () => {
    const provider = new RecordingProvider(() => 'no json here');
    const error = await proposeDimensions(context(provider, 2), {
      persona,
      problem,
      shape: 'medqa',
      problemContext: 'medical consultation as a patient caretaker',
      count: 3,
      expertise: { min: 2, max: 3 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as StepFailure).stage).toBe('dimensions');
    expect((error as StepFailure).issues).toEqual([
      'attempt 1: no JSON object in the reply',
      'attempt 2: no JSON object in the reply',
    ]);
    expect(provider.requests[0]?.messages[1]?.content).toContain('caretaker of the patient');
  });
});

describe('de-duplication against the library', () => {
  it('reuses exact matches without a call, maps near-duplicates through the model, keeps the rest new', async () => {
    const library = new DimensionLibrary([
      dim('Visual Aids'),
      dim('Step-by-Step Structure'),
      dim('Explanation Depth', 'general'),
    ]);
    const provider = scripted();
    const result = await dedupeProposals(context(provider), library, [
      [dim('step by step structure', 'expertise'), dim('Use of Visual Aids'), dim('Knitting Analogies')],
      [dim('Knitting analogies'), dim('Visual Aids')],
    ]);
    expect(result.resolved.map((r) => r.map((d) => `${d.name}:${d.type}`))).toEqual([
      ['Step-by-Step Structure:expertise', 'Visual Aids:personal', 'Knitting Analogies:personal'],
      ['Knitting Analogies:personal', 'Visual Aids:personal'],
    ]);
    expect([...result.mapped]).toEqual([['Use of Visual Aids', 'Visual Aids']]);
    expect(provider.totals.calls).toBe(1);
  });

  it('makes no call with an empty library; an unusable reply keeps the names new, as the reference does', async () => {
    const empty = scripted();
    const r = await dedupeProposals(context(empty), new DimensionLibrary(), [[dim('A'), dim('B')]]);
    expect(empty.totals.calls).toBe(0);
    expect(r.resolved[0]?.map((d) => d.name)).toEqual(['A', 'B']);
    const broken = new RecordingProvider(() => '{"decisions": "nope"}');
    const kept = await dedupeProposals(context(broken, 2), new DimensionLibrary([dim('Visual Aids')]), [
      [dim('Use of Visual Aids')],
    ]);
    expect(kept.resolved[0]?.map((d) => d.name)).toEqual(['Use of Visual Aids']);
    expect(kept.warnings[0]).toContain('dedup reply unusable');
    // A decision naming something not in the library is ignored.
    const wrong = new RecordingProvider(() =>
      JSON.stringify({
        decisions: [{ new_dimension: 'Use of Visual Aids', action: 'map_to_existing', existing_dimension: 'Invented' }],
      }),
    );
    expect(
      (await dedupeProposals(context(wrong), new DimensionLibrary([dim('Visual Aids')]), [[dim('Use of Visual Aids')]]))
        .mapped.size,
    ).toBe(0);
  });
});

describe('instantiation', () => {
  const dims = [
    dim('Comfort with Interest', 'expertise'),
    dim('Cash Examples'),
    dim('Plain Language'),
    dim('Brevity'),
    dim('Explanation Depth', 'general'),
  ];

  it('fills every dimension with value, spread importance, justification; repeats an earlier value for consistency', async () => {
    const earlier = [{ dimension: 'Plain Language', value: 5, local_importance: 4, problem_context: 'question' }];
    const prefs = await instantiatePreferences(context(scripted()), {
      persona,
      problem,
      problemContext: 'question',
      dimensions: dims,
      earlier,
    });
    expect(Object.keys(prefs)).toEqual(dims.map((d) => d.name));
    expect(new Set(Object.values(prefs).map((p) => p.local_importance)).size).toBeGreaterThanOrEqual(3);
    expect(prefs['Plain Language']?.value).toBe(5);
    expect(prefs['Explanation Depth']).toMatchObject({
      type: 'general',
      problem_context: 'question',
      name: 'Explanation Depth',
    });
    for (const p of Object.values(prefs)) expect(p.justification.length).toBeGreaterThan(10);
  });

  it("the prompt shows the persona's earlier preferences", async () => {
    const provider = new RecordingProvider(() => '{}');
    await instantiatePreferences(context(provider, 1), {
      persona,
      problem,
      problemContext: 'question',
      dimensions: dims,
      earlier: [{ dimension: 'Brevity', value: 'high', local_importance: 2, problem_context: 'math problem' }],
    }).catch(() => null);
    expect(provider.requests[0]?.messages[1]?.content).toContain('- Brevity: high (importance 2, on a math problem)');
  });

  it('requires exactly the asked keys (case slips repaired), importance 1–5 and a spread', () => {
    const schema = instantiationSchema(dims);
    const fill = (importance: number[]) =>
      Object.fromEntries(
        dims.map((d, i) => [
          d.name.toLowerCase(),
          { value: '3', local_importance: importance[i], justification: 'because' },
        ]),
      );
    const ok = schema.safeParse({ preferences: fill([1, 2, 3, 3, 5]) });
    expect(ok.success && ok.data['Comfort with Interest']).toMatchObject({ value: 3, local_importance: 1 });
    const flat = schema.safeParse({ preferences: fill([3, 3, 3, 3, 4]) });
    expect(flat.error?.issues[0]?.message).toBe('local_importance uses 2 level(s); spread it over at least 3 of 1–5');
    const wrong = schema.safeParse({
      preferences: { ...fill([1, 2, 3, 4, 5]), Extra: { value: 1, local_importance: 2, justification: 'x' } },
    });
    expect(wrong.error?.issues[0]?.message).toBe('not asked for: "Extra"');
    expect(schema.safeParse({ preferences: fill([0, 2, 3, 4, 5]) }).success).toBe(false);
  });
});

function prefs(entries: [string, string, number][]): Record<string, Preference> {
  return Object.fromEntries(
    entries.map(([name, type, importance]) => [
      name,
      {
        name,
        description: `d ${name}`,
        value_range: '1-5',
        value: 3,
        local_importance: importance,
        justification: 'j',
        type,
      },
    ]),
  );
}

describe('rubric', () => {
  const preferences = prefs([
    ['Comfort with Interest', 'expertise', 4],
    ['Cash Examples', 'personal', 5],
    ['Explanation Depth', 'general', 2],
  ]);

  it('one criterion per preference, exact names, levels 1/3/5, weight = importance / Σ importance', async () => {
    const rubric = await buildRubric(context(scripted()), {
      persona,
      problem,
      problemContext: 'question',
      preferences,
    });
    expect(rubric.evaluation_criteria.map((c) => [c.preference, c.weight])).toEqual([
      ['Comfort with Interest', 0.364],
      ['Cash Examples', 0.455],
      ['Explanation Depth', 0.182],
    ]);
    for (const c of rubric.evaluation_criteria) expect(c.levels.map((l) => l.score)).toEqual([1, 3, 5]);
    expect(
      rubricWeights(
        prefs([
          ['a', 'x', 1],
          ['b', 'x', 1],
          ['c', 'x', 1],
        ]),
      ),
    ).toEqual({ a: 0.333, b: 0.333, c: 0.333 });
  });

  const criterion = (name: string) => ({
    preference: name,
    description: 'look',
    weight: 0.9,
    levels: [
      { score: 1, description: 'no' },
      { score: 3, description: 'some' },
      { score: 5, description: 'yes' },
    ],
  });
  const replyFor = (group: string, r: ModelRequest): string[] => {
    const listed = [...(r.messages[1]?.content ?? '').matchAll(/^- (.+?) \(weight/gm)].map((m) => m[1] ?? '');
    return r.messages[1]?.content.includes(group) ? listed : [];
  };

  it('repair: extra criteria are dropped when none is missing; missing ones are asked for with the "other" prompt', async () => {
    const two = prefs([
      ['Cash Examples', 'personal', 5],
      ['Brevity', 'personal', 1],
    ]);
    const provider = new RecordingProvider((r, i) => {
      const names = replyFor('', r);
      if (i === 0) return JSON.stringify({ evaluation_criteria: [criterion('Cash Examples')] }); // Brevity missing
      return JSON.stringify({ evaluation_criteria: [...names.map(criterion), criterion('Invented')] }); // extra only
    });
    const rubric = await buildRubric(context(provider), {
      persona,
      problem,
      problemContext: 'question',
      preferences: two,
    });
    expect(rubric.evaluation_criteria.map((c) => c.preference)).toEqual(['Cash Examples', 'Brevity']);
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1]?.messages[1]?.content).toContain('that still need a criterion');
    expect(rubric.evaluation_criteria.map((c) => c.weight)).toEqual([0.833, 0.167]);
  });

  it('repair: missing and extra together retry the group, and after maxTries the record fails with the reasons', async () => {
    const two = prefs([
      ['Cash Examples', 'personal', 5],
      ['Brevity', 'personal', 1],
    ]);
    const provider = new RecordingProvider(() =>
      JSON.stringify({ evaluation_criteria: [criterion('Cash Examples'), criterion('Brevety!!')] }),
    );
    const error = await buildRubric(context(provider, 2), {
      persona,
      problem,
      problemContext: 'question',
      preferences: two,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect((error as StepFailure).issues).toEqual([
      'attempt 1: no criterion for "Brevity"; criteria for unknown preferences "Brevety!!"',
      'attempt 2: no criterion for "Brevity"; criteria for unknown preferences "Brevety!!"',
    ]);
    expect(provider.requests).toHaveLength(2);
  });

  it('criteria without the 1/3/5 anchors are rejected and asked for again', async () => {
    let calls = 0;
    const provider = new RecordingProvider(() => {
      calls += 1;
      const c = criterion('Brevity');
      return JSON.stringify({ evaluation_criteria: [calls === 1 ? { ...c, levels: c.levels.slice(0, 2) } : c] });
    });
    const rubric = await buildRubric(context(provider), {
      persona,
      problem,
      problemContext: 'question',
      preferences: prefs([['Brevity', 'personal', 3]]),
    });
    expect(rubric.evaluation_criteria[0]?.weight).toBe(1);
    expect(provider.requests[1]?.messages.at(-1)?.content).toContain('levels lack score 5');
  });
});

describe('general dimensions and sparsity', () => {
  it('generates the configured number of dataset-level dimensions from sampled examples', async () => {
    const general = await generateGeneralDimensions(context(scripted()), {
      dataset: 'x/y',
      count: 4,
      problems: [problem, problem],
      rng: rngFor(1, 'g'),
    });
    expect(Object.keys(general)).toEqual([
      'Explanation Depth',
      'Communication Style',
      'Worked Examples',
      'Pace of Explanation',
    ]);
    expect(general['Explanation Depth']?.global_importance).toBe(1);
    expect(
      await generateGeneralDimensions(context(scripted()), {
        dataset: 'x',
        count: 0,
        problems: [problem],
        rng: rngFor(1, 'g'),
      }),
    ).toEqual({});
  });

  it('keeps K preferences: a seeded random subset or the most important, always in the original order', () => {
    const all = prefs([
      ['a', 'p', 1],
      ['b', 'p', 5],
      ['c', 'p', 2],
      ['d', 'p', 5],
      ['e', 'p', 3],
    ]);
    expect(Object.keys(keepPreferences(all, 3, 'importance', rngFor(1, 'k')))).toEqual(['b', 'd', 'e']);
    const random = Object.keys(keepPreferences(all, 2, 'random', rngFor(1, 'k')));
    expect(random).toHaveLength(2);
    expect(Object.keys(keepPreferences(all, 2, 'random', rngFor(1, 'k')))).toEqual(random);
    expect(random).toEqual([...random].sort());
    expect(keepPreferences(all, null, 'random', rngFor(1, 'k'))).toBe(all);
  });
});
