import { describe, expect, it } from 'vitest';
import { parseAction, responseText } from '../../server/engine/assistant-protocol.ts';
import { extractJson } from '../../server/engine/lenient-json.ts';
import { openingMessage } from '../../server/engine/opening-message.ts';
import { personaProfile } from '../../server/engine/persona-profile.ts';
import { PROMPTS, promptHashes, renderPrompt } from '../../server/engine/prompt-library.ts';
import { pythonJsonDumps, pythonRepr, pythonStr } from '../../server/engine/python-repr.ts';
import { renderChatHistory } from '../../server/engine/simulated-user-seat.ts';
import { referenceExample } from '../support/records.ts';

describe('opening message (as the reference writes it)', () => {
  it('is the prefix and the question, with one "A. text" line per option when there are options', () => {
    expect(openingMessage({ question: 'What is 2+2?', options: {} })).toBe(
      'I need help with the following task: What is 2+2?',
    );
    expect(openingMessage({ question: 'Pick one.', options: { A: 'red', B: 'blue' } })).toBe(
      'I need help with the following task: Pick one.\nA. red\nB. blue',
    );
  });
});

describe('persona profile string (as the reference writes it)', () => {
  it('has the reference fields in order, Big Five descriptions only (no agreeableness or neuroticism), and the preferences as a Python dict', () => {
    const profile = personaProfile(referenceExample());
    const lines = profile.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'PERSONA PROFILE:',
      'Name: Chidinma Okafor',
      'Summary: 47-year-old urban beekeeper returning to night-school maths, visual thinker who distrusts formulas she cannot picture',
      'Age: 47, Occupation: Beekeeper specializing in urban apiaries',
      'Location: Leeds, England, UK',
      'Hobbies: allotment gardening, choir, jigsaws',
      'Domain expertise: beekeeping, gardening, choral music',
    ]);
    expect(lines.slice(8, 15)).toEqual([
      'LEARNING PROFILE:',
      '- Knowledge level: Left school at 16; comfortable with arithmetic, shaky on geometry',
      '- Learning style: Visual-kinesthetic; sketches everything',
      '- Problem-solving: Trial and error, then looks for a pattern',
      '- Confidence: Low in maths, high in practical work',
      '- Anxiety triggers: Dense notation',
      '- Motivation: Wants to help her son with homework',
    ]);
    expect(lines.slice(16, 20)).toEqual([
      'PERSONALITY:',
      '- Openness: Curious, likes hands-on experiments',
      '- Conscientiousness: Methodical with hive records',
      '- Social style: Quiet, prefers small groups',
    ]);
    expect(profile).not.toMatch(/Warm and patient|Anxious under time pressure/);
    expect(lines[21]).toMatch(/^BACKSTORY: After 20 years in retail/);
    expect(lines[23]).toMatch(
      /^PREFERECES:\{'Comfort with Polygon Decomposition': \{'name': 'Comfort with Polygon Decomposition', 'description': /,
    );
    expect(lines[23]).toContain("'value': 2, 'local_importance': 4,");
    expect(lines[23]).toContain("'value': 'low'");
  });

  it('shows the reference defaults (Unknown, Not specified, ?, empty) for missing fields', () => {
    const profile = personaProfile({ persona: { id: 'x_1', name: 'A B' }, persona_preferences: {} });
    expect(profile).toContain('Age: ?, Occupation: Unknown');
    expect(profile).toContain('- Learning style: Not specified');
    expect(profile).toContain('Summary: \n');
    expect(profile).toContain('BACKSTORY: No backstory provided');
    expect(profile.endsWith('PREFERECES:{}')).toBe(true);
  });
});

describe('Python repr of the preferences dict', () => {
  it('matches Python for strings, numbers, booleans, None, lists and nesting', () => {
    expect(pythonRepr({ a: 'x', b: 2, c: 0.364, d: true, e: null, f: [1, 'two'] })).toBe(
      "{'a': 'x', 'b': 2, 'c': 0.364, 'd': True, 'e': None, 'f': [1, 'two']}",
    );
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('say "hi" it\'s')).toBe("'say \"hi\" it\\'s'");
    expect(pythonRepr('line\nbreak\\')).toBe("'line\\nbreak\\\\'");
    expect(pythonRepr(1e-5)).toBe('1e-05');
    expect(pythonRepr('naïve – café')).toBe("'naïve – café'");
    // What Python's isprintable() rejects is escaped; other non-ASCII is kept.
    expect(pythonRepr('a\u00a0b\u200bc\u2028d😀')).toBe(String.raw`'a\xa0b\u200bc\u2028d😀'`);
  });

  it('json.dumps(indent=2) as the judge sees the levels: non-ASCII escaped, as Python does', () => {
    expect(pythonJsonDumps([{ score: 1, description: 'café ☃ 😀\n' }])).toBe(
      '[\n  {\n    "score": 1,\n    "description": "caf\\u00e9 \\u2603 \\ud83d\\ude00\\n"\n  }\n]',
    );
    expect(pythonJsonDumps([])).toBe('[]');
  });

  it("str() as the judges' f-strings print values: strings as they are, others as repr", () => {
    expect(pythonStr('42')).toBe('42');
    expect(pythonStr(1e-5)).toBe('1e-05');
    expect(pythonStr(['a', 2])).toBe("['a', 2]");
  });
});

describe('final-answer detection (reference _is_requesting_final_answer)', () => {
  it('reads the ###ACTION### line, stripping whitespace and []\'" and ignoring case', () => {
    expect(parseAction("###ACTION###: 'final_answer'\n###RESPONSE###: The answer is 5.")).toMatchObject({
      final: true,
      via: 'marker',
    });
    expect(parseAction('###ACTION###: [FINAL_ANSWER]\n###RESPONSE###: ...').final).toBe(true);
    expect(parseAction('###ACTION###: "ask_question"\n###RESPONSE###: The answer is 5.')).toMatchObject({
      final: false,
      via: 'marker',
    });
    expect(parseAction('Thinking…\n###ACTION###:final_answer\n###RESPONSE###: x').final).toBe(true);
  });

  it('falls back to the phrase heuristic without a marker', () => {
    expect(parseAction('Here is the solution: 720 degrees.')).toMatchObject({ final: true, via: 'heuristic' });
    expect(parseAction('In conclusion, 720.')).toMatchObject({ final: true });
    expect(parseAction('The answer is 720. Would you like more detail')).toMatchObject({ final: false });
    expect(parseAction('The answer is 720, right?')).toMatchObject({ final: false });
    expect(parseAction('How comfortable are you with geometry?')).toMatchObject({ final: false, via: 'heuristic' });
  });

  it('extracts the RESPONSE part for display', () => {
    expect(responseText("###ACTION###: 'ask_question'\n###RESPONSE###: Do you like pictures?")).toBe(
      'Do you like pictures?',
    );
    expect(responseText('plain text')).toBe('plain text');
  });
});

describe('lenient JSON extraction (reference extract_json)', () => {
  it('takes the first { to the last } and accepts what LLMs write', () => {
    expect(extractJson('Sure! ```json\n{"score": 4, "justification": "ok"}\n``` done')).toEqual({
      ok: true,
      value: { score: 4, justification: 'ok' },
    });
    expect(extractJson("{'thought': 'hm', 'response': 'I\\'d like pictures'}")).toEqual({
      ok: true,
      value: { thought: 'hm', response: "I'd like pictures" },
    });
    expect(extractJson('{"a": True, "b": None, "c": [1, 2,],}')).toEqual({
      ok: true,
      value: { a: true, b: null, c: [1, 2] },
    });
    expect(extractJson('{"response": """multi\nline"""}')).toEqual({ ok: true, value: { response: 'multi\nline' } });
  });

  it('reports what is wrong', () => {
    expect(extractJson('no json here')).toEqual({ ok: false, error: 'no JSON object in the reply' });
    const broken = extractJson('{"score": 4, "justification": }');
    expect(broken.ok).toBe(false);
  });
});

describe('prompts', () => {
  it('every prompt is hashed, and a missing placeholder value throws', () => {
    expect(Object.keys(promptHashes())).toHaveLength(Object.keys(PROMPTS).length);
    for (const hash of Object.values(promptHashes())) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(() => renderPrompt('oracleSystem')).toThrowError(/no value for \{persona_profile\}/);
  });

  it('the discovery prompt carries the ACTION/RESPONSE contract; fixed-K names the turn', () => {
    const discovery = renderPrompt('discoverySystem');
    expect(discovery).toContain("###ACTION###: 'ask_question' or 'final_answer'");
    expect(discovery).toContain('###RESPONSE###: [clarifying question] or [full answer]');
    const fixed = renderPrompt('fixedQuestionsSystem', { num_questions: 3, turn: 0 });
    expect(fixed).toContain('This is turn 0 of 3.');
    expect(fixed).toContain("###ACTION###: 'ask_question'");
  });

  it('passive_nostop has no stop rule; passive and collaborative have one', () => {
    const values = { persona_profile: 'P', chat_history: 'H', terminal_signal: '', stop_signal: '###STOP###' };
    expect(renderPrompt('userPassiveNostop', values)).not.toContain('###STOP###');
    expect(renderPrompt('userPassive', values)).toContain('###STOP###');
    expect(renderPrompt('userCollaborative', values)).toContain('###STOP###');
  });

  it('the simulated user sees the history as **Assistant** / **User** lines, ending with the new question', () => {
    expect(renderChatHistory([{ assistant: 'Q1?', user: 'A1' }], 'Q2?')).toBe(
      '**Assistant**: Q1?\n**User**: A1\n**Assistant**: Q2?',
    );
  });
});
