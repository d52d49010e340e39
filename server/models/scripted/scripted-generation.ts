import { field, list, pick, str, title, type Loose } from './scripted-hint-helpers.ts';
import { contentWords, stableHash } from './text-match.ts';

/**
 * The scripted provider's benchmark-generation roles (`prefdisco generate`): deterministic, offline stand-ins that
 * read the structured hint of each call (the facts its prompt carries) and answer in the JSON shape the prompt asks
 * for. Same hint, same answer — which is what makes a scripted generation run byte-for-byte reproducible. The
 * content is plausible filler for demos and tests, never research data.
 */

const GENERAL = [
  [
    'Explanation Depth',
    'How much detail the answer goes into',
    '1-5 (1: very concise, 3: balanced, 5: extremely detailed)',
  ],
  ['Communication Style', 'The tone of the explanation', 'formal / conversational / encouraging'],
  ['Worked Examples', 'How much the answer relies on concrete examples', '1-5 (1: none, 5: several worked examples)'],
  ['Pace of Explanation', 'How quickly the answer moves between steps', '1-5 (1: very slow, 5: brisk)'],
  ['Answer First', 'Whether the answer comes before or after the reasoning', 'answer first / reasoning first'],
  ['Jargon Tolerance', 'How much technical vocabulary is acceptable', '1-5 (1: none, 5: full technical vocabulary)'],
] as const;

export function scriptedGeneralDimensions(hint: Loose): string {
  const count = typeof hint.count === 'number' ? hint.count : 5;
  return JSON.stringify({
    dimensions: Array.from({ length: count }, (_, i) => {
      const [name, description, value_range] = pick(GENERAL, i);
      return {
        name: i < GENERAL.length ? name : `${name} ${i}`,
        description,
        value_range,
        global_importance: 1 + (i % 5),
      };
    }),
  });
}

/** Personal dimensions; pairs of near-synonyms ("Visual Aids" / "Use of Visual Aids") give the dedup step real work. */
const PERSONAL = [
  ['Visual Aids', 'Sketches, diagrams or tables in the explanation'],
  ['Use of Visual Aids', 'Whether pictures support the words'],
  ['Step-by-Step Structure', 'Numbered steps rather than running prose'],
  ['Step by Step Structure', 'Breaking the reasoning into steps'],
  ['Encouraging Tone', 'Reassurance along the way'],
  ['Real-World Context', 'Links to everyday situations'],
  ['Brevity', 'A short answer over a long one'],
  ['Humour', 'A light touch in the explanation'],
  ['Checking Questions', 'Questions that let the person check their understanding'],
  ['Plain Language', 'Everyday words instead of terms'],
  ['Historical Background', 'Where the idea comes from'],
  ['Preference for Short Sentences', 'Sentences kept short'],
] as const;

export function scriptedDimensionProposal(hint: Loose): string {
  const count = typeof hint.count === 'number' ? hint.count : 20;
  const min = typeof hint.expertiseMin === 'number' ? hint.expertiseMin : 2;
  const max = typeof hint.expertiseMax === 'number' ? hint.expertiseMax : 3;
  const experts = Math.min(count, Math.max(min, Math.min(2, max)));
  const question = str(field(hint.problem, 'question'));
  const words = [...new Set(question.toLowerCase().match(/[a-z]{5,}/g) ?? [])];
  const persona = hint.persona;
  const h = stableHash(`${str(field(persona, 'id'))}|${question}`);
  const dims: Loose[] = [];
  for (let i = 0; i < experts; i++) {
    const word = words[(h + i * 3) % Math.max(1, words.length)] ?? `core idea ${i + 1}`;
    dims.push({
      name: `${i % 2 === 0 ? 'Comfort with' : 'Familiarity with'} ${title(word)}`,
      description: `How familiar the person is with ${word}, which this problem needs`,
      value_range: '1-5 (1: new to it, 5: fluent)',
      type: 'expertise',
    });
  }
  const expertise = list(field(persona, 'domain_expertise'));
  const hobbies = list(field(field(persona, 'demographics'), 'hobbies'));
  const own = [
    [`Analogies from ${title(expertise[0] ?? 'work')}`, `Comparisons drawn from ${expertise[0] ?? 'their work'}`],
    [`Links to ${title(hobbies[0] ?? 'hobbies')}`, `Examples that connect to ${hobbies[0] ?? 'their hobbies'}`],
  ];
  const pool = [...own, ...PERSONAL.map(([n, d]) => [n, d])];
  for (let i = 0; dims.length < count; i++) {
    const [name, description] = pick(pool, i < own.length ? i : own.length + (((h >>> 4) + i) % PERSONAL.length)) as [
      string,
      string,
    ];
    const taken = dims.some((d) => synonymKey(str(d.name)) === synonymKey(name));
    // Skip a synonym of a name already chosen; only once the pool is used up are names numbered.
    if (taken && i < pool.length) continue;
    const finalName = taken ? `${name} ${dims.length + 1}` : name;
    const categorical = stableHash(finalName) % 4 === 0;
    dims.push({
      name: finalName,
      description,
      value_range: categorical ? 'low / medium / high' : '1-5 (1: not at all, 5: a great deal)',
      type: 'personal',
    });
  }
  return JSON.stringify({ dimensions: dims });
}

const FILLER = new Set(['use', 'level', 'degree', 'amount']);

/** Two names mean the same to the scripted model when their content words, minus filler like "use of", match. */
function synonymKey(name: string): string {
  return [...contentWords(name)]
    .filter((w) => !FILLER.has(w))
    .sort()
    .join(' ');
}

/** Maps a new name to an existing one when their content words (ignoring "use", "level" and the like) are the same. */
export function scriptedDedup(hint: Loose): string {
  const key = synonymKey;
  const existing = (Array.isArray(hint.existing) ? hint.existing : []).map((e) => str(field(e, 'name')));
  const decisions = (Array.isArray(hint.newDimensions) ? hint.newDimensions : []).map((d) => {
    const name = str(field(d, 'name'));
    const match = existing.find((e) => key(e) !== '' && key(e) === key(name));
    return match
      ? {
          new_dimension: name,
          action: 'map_to_existing',
          existing_dimension: match,
          reason: 'same idea, different wording',
        }
      : { new_dimension: name, action: 'keep_new', reason: 'no existing dimension means the same' };
  });
  return JSON.stringify({ decisions });
}

export function scriptedInstantiation(hint: Loose): string {
  const persona = hint.persona;
  const first = str(field(persona, 'name'), 'This person').split(' ')[0];
  const earlier = Array.isArray(hint.earlier) ? hint.earlier : [];
  const dims = Array.isArray(hint.dimensions) ? hint.dimensions : [];
  const h = stableHash(`${str(field(persona, 'id'))}|${str(field(hint.problem, 'question'))}`);
  const preferences: Loose = {};
  dims.forEach((d, i) => {
    const name = str(field(d, 'name'));
    const range = str(field(d, 'value_range'));
    const before = [...earlier].reverse().find((e) => field(e, 'dimension') === name);
    const options = range
      .split('/')
      .map((s) => s.trim())
      .filter(Boolean);
    const fresh =
      /^1-5/.test(range) || options.length < 2
        ? 1 + (stableHash(`${str(field(persona, 'id'))}|${name}`) % 5)
        : pick(options, stableHash(name + first));
    const value = before ? field(before, 'value') : fresh;
    preferences[name] = {
      value,
      local_importance: 1 + ((h + i) % 5),
      justification: before
        ? `${first} gave this the same value on an earlier problem and nothing here changes that.`
        : `${first}'s background (${str(field(field(persona, 'demographics'), 'occupation'), 'their work')}) makes this matter at this level for this problem.`,
      type: str(field(d, 'type'), 'personal'),
    };
  });
  return JSON.stringify({ preferences });
}

export function scriptedRubricCriteria(hint: Loose): string {
  const prefs = Array.isArray(hint.preferences) ? hint.preferences : [];
  return JSON.stringify({
    evaluation_criteria: prefs.map((p) => {
      const name = str(field(p, 'name'));
      const value = String(field(p, 'value') ?? '');
      return {
        preference: name,
        description: `Whether the response adapts to ${name.toLowerCase()} (wanted: ${value})`,
        weight: field(p, 'weight') ?? 0,
        levels: [
          { score: 1, description: `Ignores ${name.toLowerCase()}` },
          { score: 3, description: `Partly adapts to ${name.toLowerCase()}` },
          { score: 5, description: `Fully adapts to ${name.toLowerCase()} at the value ${value}` },
        ],
      };
    }),
  });
}
