import { describe, expect, it } from 'vitest';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { detectSourceTask } from '../../shared/benchmark/source-task.ts';

// One row per source dataset, in the field shape each dataset has.
describe('normalizeProblem: the ten source shapes', () => {
  it('MATH-500: problem, answer string, solution', () => {
    const row = {
      problem: 'What is $2+3$?',
      solution: 'Add: $5$.',
      answer: '5',
      subject: 'Prealgebra',
      level: 1,
      unique_id: 'test/prealgebra/1.json',
    };
    expect(normalizeProblem({ original_problem: row })).toEqual({
      question: 'What is $2+3$?',
      options: {},
      answer: '5',
      solution: 'Add: $5$.',
      image: null,
    });
    expect(detectSourceTask(row)).toBe('math');
  });

  it('AIME: Question and Answer (capitalised keys), no options', () => {
    const row = { ID: '1999-I-3', Year: 1999, 'Problem Number': 3, Question: 'Find n.', Answer: '113', Part: 'I' };
    expect(normalizeProblem({ original_problem: row })).toEqual({
      question: 'Find n.',
      options: {},
      answer: '113',
      solution: null,
      image: null,
    });
    expect(detectSourceTask(row)).toBe('aime');
  });

  it('LogiQA: context prefixed to query, options list to letters, int correct_option to a letter', () => {
    const row = {
      context: 'All cats sleep.',
      query: 'Which follows?',
      options: ['a', 'b', 'c', 'd'],
      correct_option: 2,
    };
    const p = normalizeProblem({ original_problem: row });
    expect(p.question).toBe('All cats sleep.\n\nWhich follows?');
    expect(p.options).toEqual({ A: 'a', B: 'b', C: 'c', D: 'd' });
    expect(p.answer).toBe('C');
    expect(detectSourceTask(row)).toBe('logiqa');
  });

  it('MaScQA: question and correct_answer (takes precedence over everything else)', () => {
    const row = { question: 'Density of Al?', correct_answer: '2.70 g/cm^3' };
    expect(normalizeProblem({ original_problem: row })).toEqual({
      question: 'Density of Al?',
      options: {},
      answer: '2.70 g/cm^3',
      solution: null,
      image: null,
    });
    expect(detectSourceTask(row)).toBe('mascqa');
  });

  it('ScienceQA: choices list, int answer, lecture + solution joined, image path kept', () => {
    const row = {
      image: 'images/problem_3_image.png',
      question: 'Which is a gas?',
      choices: ['ice', 'steam'],
      answer: 1,
      hint: '',
      lecture: 'Matter has states.',
      solution: 'Steam is a gas.',
    };
    const p = normalizeProblem({ original_problem: row });
    expect(p).toEqual({
      question: 'Which is a gas?',
      options: { A: 'ice', B: 'steam' },
      answer: 'B',
      solution: 'Matter has states.\n\nSteam is a gas.',
      image: 'images/problem_3_image.png',
    });
    expect(detectSourceTask(row)).toBe('scienceqa');
  });

  it('ScienceQA with an empty lecture keeps only the solution', () => {
    const row = { image: null, question: 'Q?', choices: ['x', 'y'], answer: 0, lecture: '', solution: 'Because.' };
    expect(normalizeProblem({ original_problem: row }).solution).toBe('Because.');
    expect(normalizeProblem({ original_problem: row }).image).toBeNull();
  });

  it('MMLU: choices list and int answer index 0 becomes "A"', () => {
    const row = {
      question: 'Unit of force?',
      subject: 'high_school_physics',
      choices: ['newton', 'joule', 'watt', 'pascal'],
      answer: 0,
    };
    const p = normalizeProblem({ original_problem: row });
    expect(p.options).toEqual({ A: 'newton', B: 'joule', C: 'watt', D: 'pascal' });
    expect(p.answer).toBe('A');
    expect(detectSourceTask(row)).toBe('mmlu');
  });

  it('SimpleQA: problem and answer', () => {
    const row = { problem: 'Who wrote Hamlet?', answer: 'William Shakespeare' };
    expect(normalizeProblem({ original_problem: row })).toEqual({
      question: 'Who wrote Hamlet?',
      options: {},
      answer: 'William Shakespeare',
      solution: null,
      image: null,
    });
    expect(detectSourceTask(row)).toBe('simpleqa');
  });

  it('MedQA: options dict used as is; answer_idx letter wins over the answer text', () => {
    const row = {
      question: 'Next step?',
      answer: 'Aspirin',
      options: { A: 'Aspirin', B: 'Rest', C: 'CT', D: 'MRI' },
      meta_info: 'step1',
      answer_idx: 'A',
      metamap_phrases: ['chest pain'],
    };
    const p = normalizeProblem({ original_problem: row });
    expect(p.options).toEqual({ A: 'Aspirin', B: 'Rest', C: 'CT', D: 'MRI' });
    expect(p.answer).toBe('A');
    expect(detectSourceTask(row)).toBe('medqa');
  });

  it('CommonsenseQA: label/text arrays zipped; answerKey used', () => {
    const row = {
      id: 'abc',
      question: 'Where is a river?',
      question_concept: 'river',
      choices: { label: ['A', 'B', 'C', 'D', 'E'], text: ['valley', 'desk', 'sky', 'book', 'cup'] },
      answerKey: 'A',
    };
    const p = normalizeProblem({ original_problem: row });
    expect(p.options).toEqual({ A: 'valley', B: 'desk', C: 'sky', D: 'book', E: 'cup' });
    expect(p.answer).toBe('A');
    expect(detectSourceTask(row)).toBe('commonsenseqa');
  });

  it('CommonsenseQA test split: an empty answerKey stays empty (correctness cannot be judged)', () => {
    const row = { question: 'Q?', choices: { label: ['A', 'B'], text: ['x', 'y'] }, answerKey: '' };
    expect(normalizeProblem({ original_problem: row }).answer).toBe('');
  });

  it('SocialIQA: context + question, answerA..C as options, 1-indexed label "3" becomes "C"', () => {
    const row = {
      context: 'Kai gave a gift.',
      question: 'How does Kai feel?',
      answerA: 'sad',
      answerB: 'bored',
      answerC: 'generous',
      label: '3',
    };
    const p = normalizeProblem({ original_problem: row });
    expect(p.question).toBe('Kai gave a gift.\n\nHow does Kai feel?');
    expect(p.options).toEqual({ A: 'sad', B: 'bored', C: 'generous' });
    expect(p.answer).toBe('C');
    expect(detectSourceTask(row)).toBe('socialiqa');
  });
});

describe('normalizeProblem: precedence rules', () => {
  it('a legacy parsed_problem with a question is used as is', () => {
    const parsed = { question: 'Parsed?', options: { A: 'x' }, answer: 'A', solution: null, image: null };
    expect(
      normalizeProblem({ original_problem: { problem: 'Original?', answer: '1' }, parsed_problem: parsed }),
    ).toEqual(parsed);
  });

  it('a parsed_problem without a question falls back to original_problem', () => {
    expect(
      normalizeProblem({ original_problem: { problem: 'Original?', answer: '1' }, parsed_problem: { options: {} } })
        .question,
    ).toBe('Original?');
  });

  it('question keys are tried in order query, question, problem, Question, prompt, skipping empty ones', () => {
    expect(normalizeProblem({ original_problem: { query: '', question: 'Q2', problem: 'Q3' } }).question).toBe('Q2');
    expect(normalizeProblem({ original_problem: { prompt: 'Q5' } }).question).toBe('Q5');
  });

  it('answer keys: the first non-null wins, even when falsy (0 with options is "A")', () => {
    expect(normalizeProblem({ original_problem: { question: 'q', choices: ['x', 'y'], answer: 0 } }).answer).toBe('A');
    expect(normalizeProblem({ original_problem: { question: 'q', correct_answer: null, answer: '7' } }).answer).toBe(
      '7',
    );
  });

  it('an int answer without options stays a number', () => {
    expect(normalizeProblem({ original_problem: { problem: 'q', answer: 42 } }).answer).toBe(42);
  });

  it('a row with no answer field gives an empty answer', () => {
    expect(normalizeProblem({ original_problem: { question: 'q' } }).answer).toBe('');
  });
});

/** The edges where a port is easy to get wrong: each as the reference's `normalize_problem` (src/benchmark_data.py). */
describe('normalizeProblem: edges, as the reference', () => {
  const norm = (row: unknown) => normalizeProblem({ original_problem: row });

  it('an empty SocialIQA answerC is kept as an option (the reference keeps every answer that is not None)', () => {
    const p = norm({ context: 'c', question: 'q', answerA: 'yes', answerB: 'no', answerC: '', label: '1' });
    expect(p.options).toEqual({ A: 'yes', B: 'no', C: '' });
    expect(norm({ question: 'q', answerA: 'yes', answerB: null }).options).toEqual({ A: 'yes' });
  });

  it('a context without a question is the question alone, with no blank line after it', () => {
    expect(norm({ context: 'Only context.' }).question).toBe('Only context.');
    expect(norm({ context: 'C.', question: 'Q?' }).question).toBe('C.\n\nQ?');
  });

  it('label and text lists of different length are zipped to the shorter, not padded', () => {
    expect(norm({ question: 'q', choices: { label: ['A', 'B', 'C'], text: ['x', 'y'] } }).options).toEqual({
      A: 'x',
      B: 'y',
    });
    expect(norm({ question: 'q', choices: { label: ['A'], text: ['x', 'y'] } }).options).toEqual({ A: 'x' });
    // Nothing left to zip: SocialIQA's fields are tried next, as in the reference.
    expect(norm({ question: 'q', choices: { label: [], text: [] }, answerA: 'a' }).options).toEqual({ A: 'a' });
  });

  it('boolean answers: with options Python counts True as 1 ("B") and False as 0 ("A"); without, True stays True', () => {
    expect(norm({ question: 'q', choices: ['x', 'y'], answer: true }).answer).toBe('B');
    expect(norm({ question: 'q', choices: ['x', 'y'], answer: false }).answer).toBe('A');
    expect(norm({ question: 'q', answer: true }).answer).toBe('True');
  });

  it('numeric option values: text for the opening message, the raw values in the judge prompt repr', () => {
    const p = norm({ question: 'q', choices: [5, 2.5, null, true], answer: 1 });
    expect(p.options).toEqual({ A: '5', B: '2.5', C: 'None', D: 'True' });
    expect(p.optionsRepr).toBe("{'A': 5, 'B': 2.5, 'C': None, 'D': True}");
    expect(p.answer).toBe('B');
    expect(norm({ question: 'q', choices: ['x'] }).optionsRepr).toBeUndefined();
  });

  it('an integer-valued float answer: JSON.parse reads 2.0 as 2, so with options it becomes a letter (documented gap)', () => {
    expect(norm({ question: 'q', choices: ['a', 'b', 'c'], answer: 2.0 }).answer).toBe('C');
    expect(norm({ question: 'q', answer: 2.5 }).answer).toBe(2.5);
  });

  it('a solution of 0 or [] is kept as Python prints it; only absent, None and "" are dropped', () => {
    expect(norm({ question: 'q', solution: 0 }).solution).toBe('0');
    expect(norm({ question: 'q', solution: [] }).solution).toBe('[]');
    expect(norm({ question: 'q', lecture: false, solution: 'S' }).solution).toBe('False\n\nS');
    expect(norm({ question: 'q', lecture: '', solution: null }).solution).toBeNull();
  });

  it('a record without original_problem is its own source row; a source that is not an object is the question', () => {
    expect(normalizeProblem({ question: 'Top-level?', answer: 'x' } as never)).toMatchObject({
      question: 'Top-level?',
      answer: 'x',
    });
    expect(normalizeProblem({ original_problem: 'just text' })).toEqual({
      question: 'just text',
      options: {},
      answer: '',
      solution: null,
      image: null,
    });
    expect(normalizeProblem({ original_problem: null }).question).toBe('None');
  });

  it('a question that is not a string prints as Python str()', () => {
    expect(norm({ question: ['a', 1] }).question).toBe("['a', 1]");
    expect(norm({ question: 42 }).question).toBe('42');
  });
});
