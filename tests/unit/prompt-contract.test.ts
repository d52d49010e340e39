import { describe, expect, it } from 'vitest';
import { PROMPTS, renderPrompt, type PromptName } from '../../server/engine/prompt-library.ts';
import { JSON_INSTRUCTION } from '../../server/models/http/json-mode.ts';

/**
 * The prompt contract (docs/prompt-contract.md): every instruction of the reference's prompts (`stellalisy/PrefDisco`)
 * must be carried by ours, in the reference's order, and no prompt may carry an instruction the reference does not
 * give. Checked on meaning, not wording: an instruction is a set of patterns that must all match within one sentence
 * or line of the rendered prompt, found after the previous instruction's sentence.
 */

interface Instruction {
  /** The reference's instruction, paraphrased. */
  ref: string;
  /** All must match one sentence or line. */
  all: RegExp[];
}

interface PromptContract {
  /** Where the reference's text is. */
  source: string;
  text: string;
  instructions: Instruction[];
  /** Extras that change the meaning: none may appear anywhere in the prompt. */
  forbidden: RegExp[];
}

const i = (ref: string, ...all: RegExp[]): Instruction => ({ ref, all });

const SENTINELS = {
  persona_profile: 'PERSONA-PROFILE-SENTINEL',
  chat_history: 'CHAT-HISTORY-SENTINEL',
  stop_signal: '###STOP###',
  terminal_signal: '',
  num_questions: 3,
  turn: 1,
  criterion_name: 'CRITERION-SENTINEL',
  criterion_description: 'DESCRIPTION-SENTINEL',
  levels_json: 'LEVELS-SENTINEL',
  response: 'RESPONSE-SENTINEL',
  preference_value: 'VALUE-SENTINEL',
  preference_justification: 'JUSTIFICATION-SENTINEL',
  question: 'QUESTION-SENTINEL',
  options: 'OPTIONS-SENTINEL',
  answer: 'ANSWER-SENTINEL',
};

const render = (name: PromptName): string => renderPrompt(name, SENTINELS);

const TONE = [
  i('tone natural, curious and respectful', /natural, curious,? and respectful/i),
  i(
    'avoid interrogating the user, but guide the conversation to learn about them',
    /interrogat/i,
    /(guide|steer)[^.]*conversation[^.]*learn/i,
  ),
];

const PASSIVE_RULES_1_TO_4 = [
  i('stay in character', /stay in character/i),
  i(
    'a passive user: not proactive or collaborative; answer what is asked, then stop',
    /not proactive|neither proactive/i,
    /collaborative/i,
    /answer what (is|you are) asked/i,
    /stop/i,
  ),
  i('factual, atomic answers', /factual, atomic answers/i),
  i('consult the persona and answer directly and factually', /persona/i, /direct/i, /factual/i),
  i('no extra context, opinions or follow-up questions', /no extra context, opinions,? or follow-up questions/i),
  i(
    '"atomic": the smallest unit of factual information that answers the question',
    /atomic/i,
    /smallest/i,
    /answers the question/i,
  ),
  i('never volunteer information', /never volunteer information/i),
  i(
    'offer nothing not explicitly requested; the assistant must ask follow-up questions for more',
    /explicitly/i,
    /assistant (has to|must) ask follow-up questions/i,
  ),
  i('state a preference only when asked about it directly', /preference/i, /only/i, /direct/i),
  i(
    '(example of a direct question about a preference), and then answer minimally (example)',
    /minimal/i,
    /for example/i,
  ),
];

const PASSIVE_OUTPUT = [
  i('output a clean JSON object with two keys', /clean JSON object/i, /two keys/i),
  i('"thought": a brief account of the minimal reasoning (examples)', /"thought"/, /brief/i, /minimal reasoning/i),
  i('"response": the user\'s actual, direct, minimal response', /"response"/, /actually says/i, /direct and minimal/i),
];

const PASSIVE_INTRO = [
  i(
    'role-play a passive and economical human user interacting with an AI assistant',
    /role-play/i,
    /passive, economical human user|passive and economical human user/i,
    /AI assistant/i,
  ),
  i('goal: a realistic response from a user who minimizes effort', /realistic/i, /effort/i, /minim/i),
  i('persona section', /^PERSONA-PROFILE-SENTINEL$/),
  i('chat history section', /^CHAT-HISTORY-SENTINEL$/),
  i('task: the assistant has just said something', /assistant has just said something/i),
  i(
    'as a passive user, answer the question factually with the minimum information necessary',
    /passive user/i,
    /factual/i,
    /(minimum|no more) information|information than is needed/i,
  ),
];

const ASKS_ONE_AT_A_TIME = [
  /one focused question/i,
  /one question at a time/i,
  /one per turn/i,
  /one clarifying question per turn/i,
];

const CONTRACT: Partial<Record<PromptName | 'jsonInstruction', PromptContract>> = {
  discoverySystem: {
    source: 'src/environment.py, InteractiveEvaluator._get_model_response, infer_persona without fixed_num_questions',
    text: render('discoverySystem'),
    instructions: [
      i('you are a helpful assistant', /helpful assistant/i),
      i(
        "before solving the task, first understand the user's background, goals and preferences",
        /first/i,
        /background/i,
        /goals/i,
        /preferences/i,
      ),
      i(
        'start by asking one or two clarifying questions that help tailor the response to their needs',
        /(start|open|begin)/i,
        /one or two clarifying questions/i,
        /(tailor|fit)[^.]*needs/i,
      ),
      i(
        'no full answer until there is enough information to personalize it',
        /(not|hold back)[^.]*full answer/i,
        /(until|before)[^.]*personali[sz]e/i,
      ),
      ...TONE,
      i(
        'at each turn, decide whether to ask for more information or to answer',
        /(each|every) turn/i,
        /more information/i,
        /answer/i,
      ),
      i(
        'when asking, ask one or two clarifying questions that help tailor the response',
        /one or two clarifying questions/i,
        /(tailor|fit)[^.]*needs/i,
      ),
      i(
        '(again) no full answer until there is enough information to personalize it',
        /(not|hold back)[^.]*full answer/i,
        /(until|before)[^.]*personali[sz]e/i,
      ),
      i('the two-line format, for all turns', /(every|each|all) turns?/i, /format/i),
      i(
        "format line: ###ACTION###: 'ask_question' or 'final_answer'",
        /^###ACTION###: 'ask_question' or 'final_answer'$/,
      ),
      i(
        'format line: ###RESPONSE###: [clarifying question] or [full answer]',
        /^###RESPONSE###: \[clarifying question\] or \[full answer\]$/,
      ),
    ],
    forbidden: [...ASKS_ONE_AT_A_TIME, /how they like explanations/i],
  },
  fixedQuestionsSystem: {
    source: 'src/environment.py, InteractiveEvaluator._get_model_response, infer_persona with fixed_num_questions',
    text: render('fixedQuestionsSystem'),
    instructions: [
      i('you are a helpful assistant', /helpful assistant/i),
      i(
        'you must ask exactly K clarifying questions to learn background, goals and preferences before the final answer',
        /must ask exactly 3 clarifying questions/i,
        /background, goals,? and preferences/i,
        /before[^.]*final answer/i,
      ),
      i('this is turn t of K', /This is turn 1 of 3\./),
      i(
        'ask one or two clarifying questions that help tailor the response',
        /one or two clarifying questions/i,
        /(tailor|fit)[^.]*needs/i,
      ),
      ...TONE,
      i("format line: ###ACTION###: 'ask_question'", /^###ACTION###: 'ask_question'$/),
      i('format line: ###RESPONSE###: [clarifying question]', /^###RESPONSE###: \[clarifying question\]$/),
    ],
    forbidden: ASKS_ONE_AT_A_TIME,
  },
  oracleSystem: {
    source: 'src/environment.py, InteractiveEvaluator._get_model_response, persona_known',
    text: render('oracleSystem'),
    instructions: [
      i(
        'a helpful assistant generating a personalized explanation of the problem the user asks',
        /helpful assistant/i,
        /personali[sz]ed explanation/i,
        /problem the user asks/i,
      ),
      i('the user has the following persona:', /user's persona|user has the following persona/i),
      i('(the persona profile)', /^PERSONA-PROFILE-SENTINEL$/),
      i('respond in a way that aligns with these preferences', /respond/i, /(align|fit)s? (with )?these preferences/i),
      i(
        'you will be evaluated on how well your explanation aligns with them; that is your primary goal',
        /evaluated on how well your explanation/i,
        /(primary|main) goal/i,
      ),
    ],
    forbidden: [/tailor your answer to this particular person/i, /judged on/i],
  },
  finalPrompt: {
    source: 'src/environment.py, InteractiveEvaluator.evaluate_model, final_prompt',
    text: render('finalPrompt'),
    instructions: [
      i(
        "based on the conversation, you should have learned the user's preferences",
        /conversation/i,
        /learned/i,
        /the user's preferences/i,
      ),
      i('give a complete final answer to the original task', /complete final answer to the original task/i),
      i('respond in a way that aligns with these preferences', /(align|fit)s? (with )?(these|those) preferences/i),
      i(
        'you will be evaluated on how well your explanation aligns with them; that is your primary goal',
        /evaluated on how well your explanation/i,
        /(primary|main) goal/i,
      ),
    ],
    // The reference speaks of the user in the third person although the prompt arrives in the user's turn.
    forbidden: [/\b(my|me|I)\b/],
  },
  userPassive: {
    source: 'src/prompts/passive_user.txt (terminal_signal = ###STOP###)',
    text: render('userPassive'),
    instructions: [
      ...PASSIVE_INTRO,
      ...PASSIVE_RULES_1_TO_4,
      i(
        'check for satisfaction: once the assistant has solved your problem, reply with the termination signal',
        /solved your problem/i,
        /termination signal/i,
      ),
      i('when satisfied, reply with only the termination signal', /satisfied/i, /nothing but|only/i, /###STOP###/),
      ...PASSIVE_OUTPUT,
    ],
    forbidden: [/not yet solved/i, /do not end the conversation/i],
  },
  userPassiveNostop: {
    source: 'src/prompts/passive_user_nostop.txt (terminal_signal = "")',
    text: render('userPassiveNostop'),
    instructions: [...PASSIVE_INTRO, ...PASSIVE_RULES_1_TO_4, ...PASSIVE_OUTPUT],
    forbidden: [/###STOP###/, /termination signal/i, /do not end the conversation/i],
  },
  userCollaborative: {
    source: 'src/prompts/collaborative_user.txt (terminal_signal = ###STOP###)',
    text: render('userCollaborative'),
    instructions: [
      i(
        'role-play a collaborative and proactive human user interacting with an AI assistant',
        /role-play/i,
        /collaborative/i,
        /proactive/i,
        /human user/i,
        /AI assistant/i,
      ),
      i('goal: a realistic and helpful response reflecting this personality', /realistic/i, /helpful/i, /personality/i),
      i('persona section', /^PERSONA-PROFILE-SENTINEL$/),
      i('chat history section', /^CHAT-HISTORY-SENTINEL$/),
      i('task: the assistant has just said something', /assistant has just said something/i),
      i(
        'as a collaborative user, actively help the assistant give you the best possible answer',
        /collaborative user/i,
        /actively help/i,
        /best/i,
      ),
      i('stay in character', /stay in character/i),
      i(
        'a helpful, engaged user, willing to give details to reach the solution faster',
        /helpful/i,
        /engaged/i,
        /details/i,
        /faster|sooner/i,
      ),
      i('give detailed, contextual answers', /detailed answers/i, /context/i),
      i(
        'when asked, answer comprehensively and add any useful extra context',
        /answer it fully|comprehensive/i,
        /extra context/i,
      ),
      i('volunteer information freely', /volunteer information freely/i),
      i(
        'offer helpful details without being asked; share preferences, current understanding and goals',
        /without being asked/i,
        /preferences/i,
        /understand/i,
        /goals/i,
      ),
      i('ask clarifying questions', /ask clarifying questions/i),
      i(
        'if the reply is good but could be better, ask follow-up questions to refine it',
        /good but could be better/i,
        /follow-up questions/i,
      ),
      i(
        'check for satisfaction: fully solved and preferences met → the termination signal',
        /fully solved your problem/i,
        /met your preferences/i,
        /termination signal/i,
      ),
      i(
        'when completely satisfied, reply with only the termination signal',
        /completely satisfied/i,
        /nothing but|only/i,
        /###STOP###/,
      ),
      i('output a clean JSON object with two keys', /clean JSON object/i, /two keys/i),
      i('"thought": a brief account of the helpful reasoning (examples)', /"thought"/, /brief/i, /helpful reasoning/i),
      i('"response": the user\'s actual, detailed response', /"response"/, /actually says/i, /detail/i),
    ],
    forbidden: [/do not end the conversation/i],
  },
  rubricJudgeSystem: {
    source: 'src/environment.py, UserSimulator.evaluate_final_response, system message',
    text: render('rubricJudgeSystem'),
    instructions: [
      i('you evaluate responses against specific criteria', /(evaluate|assess) responses against specific criteria/i),
      i('output valid JSON', /valid JSON/i),
    ],
    forbidden: [/integer/i, /performance level/i],
  },
  rubricJudgeUser: {
    source: 'src/environment.py, UserSimulator.evaluate_final_response, prompt',
    text: render('rubricJudgeUser'),
    instructions: [
      i(
        'an expert evaluation specialist using a standardized rubric to assess personalized responses',
        /expert/i,
        /standardi[sz]ed rubric/i,
        /personali[sz]ed responses/i,
      ),
      i(
        'give a precise, evidence-based assessment of how well the response meets the criterion',
        /precise, evidence-based assessment/i,
        /criterion/i,
      ),
      i('the criterion to evaluate', /CRITERION TO EVALUATE/),
      i('(criterion name)', /^CRITERION-SENTINEL$/),
      i('Description: (criterion description)', /^Description: DESCRIPTION-SENTINEL$/),
      i('performance levels', /PERFORMANCE LEVELS/),
      i('(the levels as indented JSON)', /^LEVELS-SENTINEL$/),
      i('the response to evaluate', /RESPONSE TO EVALUATE/),
      i('(the response)', /^RESPONSE-SENTINEL$/),
      i('user context', /USER CONTEXT/),
      i('Preference value: (value)', /^Preference value: VALUE-SENTINEL$/),
      i('Context: (justification)', /^Context: JUSTIFICATION-SENTINEL$/),
      i(
        '1. carefully compare the response with each performance level description',
        /carefully/i,
        /compare/i,
        /each performance level/i,
      ),
      i(
        '2. identify specific evidence in the response that matches level descriptions',
        /specific evidence/i,
        /level descriptions/i,
      ),
      i(
        '3. determine the exact score (1-5) that best represents the response quality on this criterion',
        /exact score/i,
        /1 to 5/i,
        /best represents/i,
      ),
      i(
        '4. provide a detailed justification referencing specific elements of the response',
        /detailed justification/i,
        /specific elements/i,
      ),
      i(
        '5. be objective and consistent: the same standards across all evaluations',
        /objective and consistent/i,
        /same standards/i,
      ),
      i("6. consider the user's stated preferences", /user's stated preferences/i),
      i(
        '7. precise reasoning another evaluator could follow to the same conclusion',
        /precise reasoning/i,
        /another evaluator/i,
        /same conclusion/i,
      ),
      i('format as a JSON object', /JSON object/i),
      i(
        '"score": an integer between 1 and 5; "justification": specific examples, the level they match and how far, what is missing for a 5',
        /"score"/,
        /integer from 1 to 5|integer between 1 and 5/i,
        /"justification"/,
        /specific/i,
        /performance level/i,
        /score of 5/i,
      ),
    ],
    forbidden: [
      /between the described levels/i,
      /\bbrief(ly)?\b/i,
      /one or two sentences/i,
      /same response must always/i,
    ],
  },
  correctnessJudgeSystem: {
    source: 'src/environment.py, UserSimulator._evaluate_correctness, system message',
    text: render('correctnessJudgeSystem'),
    instructions: [
      i(
        'you judge the final response against the ground truth correct answer',
        /(judge|check)/i,
        /final response/i,
        /ground truth/i,
      ),
      i('output valid JSON', /valid JSON/i),
    ],
    forbidden: [/style/i],
  },
  correctnessJudgeUser: {
    source: 'src/environment.py, UserSimulator._evaluate_correctness, prompt',
    text: render('correctnessJudgeUser'),
    instructions: [
      i(
        "you are a judge evaluating the model's final response against the ground truth correct answer",
        /judge/i,
        /model's final response/i,
        /ground truth correct answer/i,
      ),
      i('judge only on objective correctness', /only/i, /objectively correct|objective correctness/i),
      i('the style of the response is irrelevant', /style/i, /irrelevant|does not matter/i),
      i('the problem: (question)', /problem/i),
      i('(question)', /QUESTION-SENTINEL/),
      i('(options, as the Python dict)', /^OPTIONS-SENTINEL$/),
      i('the ground truth correct answer is (answer)', /ground truth correct answer/i, /ANSWER-SENTINEL/),
      i("the model's final response is (response)", /model's final response/i),
      i('(response)', /^RESPONSE-SENTINEL$/),
      i('respond with a concise one-sentence justification', /concise/i, /one-sentence/i, /justification/i),
      i(
        'and the correctness as 0 or 1, 0 incorrect and 1 correct',
        /0 or 1/,
        /0 (for|means) incorrect/i,
        /1 (for|means) correct/i,
      ),
      i('format as JSON with justification and correct', /JSON/, /"justification"/, /"correct"/),
    ],
    forbidden: [/personali[sz]ation/i, /\blength\b/i, /\btone\b/i],
  },
  jsonInstruction: {
    source: 'src/llm/api_client.py, LLMClient.chat, appended to the last message in JSON mode',
    text: JSON_INSTRUCTION,
    instructions: [
      i('respond with clean JSON only', /clean JSON only/i),
      i('without explanations', /(no|without) explanations/i),
      i('without code blocks', /(no|without) code blocks?/i),
      i('do not include ```json', /```json/),
    ],
    forbidden: [],
  },
};

/** Prompts of ours with no counterpart in the reference, and why they do not change what is measured. */
const OUR_OWN: Partial<Record<PromptName, string>> = {
  disclosureLabeler: 'annotates who asked and revealed what, after the turn; never shown to the model or simulator',
};

/** Sentences and lines, the units an instruction must fall within. */
function units(text: string): string[] {
  return text.split(/\n+|(?<=[.!?])\s+/).filter((u) => u.trim() !== '');
}

/** The instructions not found, in order; an instruction is looked for from the sentence where the previous one was. */
function missingInstructions(contract: PromptContract): string[] {
  const parts = units(contract.text);
  const missing: string[] = [];
  let from = 0;
  for (const instruction of contract.instructions) {
    const at = parts.findIndex((part, index) => index >= from && instruction.all.every((p) => p.test(part)));
    if (at === -1) missing.push(instruction.ref);
    else from = at;
  }
  return missing;
}

describe('prompt contract (docs/prompt-contract.md)', () => {
  it('covers every prompt in use: each has a contract or is listed as our own', () => {
    for (const name of Object.keys(PROMPTS) as PromptName[]) {
      expect(CONTRACT[name] !== undefined || OUR_OWN[name] !== undefined, name).toBe(true);
    }
  });

  for (const [name, contract] of Object.entries(CONTRACT)) {
    it(`${name} carries every instruction of ${contract.source}, in order`, () => {
      expect(missingInstructions(contract)).toEqual([]);
    });

    it(`${name} carries no forbidden extra`, () => {
      expect(contract.forbidden.filter((pattern) => pattern.test(contract.text)).map(String)).toEqual([]);
    });
  }

  it('the check itself fails on a prompt that drops or reorders an instruction', () => {
    const oracle = CONTRACT.oracleSystem as PromptContract;
    const reordered =
      'Respond in a way that fits these preferences.\nPERSONA-PROFILE-SENTINEL\nYou are a helpful assistant.';
    expect(missingInstructions({ ...oracle, text: reordered }).length).toBeGreaterThan(0);
    const passive = CONTRACT.userPassive as PromptContract;
    const dropped = passive.text.replace(/Never volunteer information\./i, '');
    expect(missingInstructions({ ...passive, text: dropped })).toEqual(['never volunteer information']);
  });
});
