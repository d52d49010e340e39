/**
 * The ten source datasets PrefDisco builds on and how to tell them apart.
 * Records do not name their source, so the shape of `original_problem` is the evidence; the metadata line's
 * `dataset` is used first when it names a known dataset.
 */
export const SOURCE_TASKS = {
  math: { dataset: 'HuggingFaceH4/MATH-500', problemContext: 'math problem' },
  aime: { dataset: 'gneubig/aime-1983-2024', problemContext: 'math problem' },
  logiqa: { dataset: 'lucasmccabe/logiqa', problemContext: 'question' },
  mascqa: { dataset: 'stellalisy/MaScQA', problemContext: 'question' },
  scienceqa: { dataset: 'derek-thomas/ScienceQA', problemContext: 'question' },
  mmlu: { dataset: 'lighteval/mmlu', problemContext: 'question' },
  simpleqa: { dataset: 'pvduy/simpleqa', problemContext: 'question' },
  // The reference's generator recasts only the dataset names in CARETAKER_DATASETS; the MedQA it ships a config for
  // is not one of them, so its records are a plain "question".
  medqa: { dataset: 'GBaker/MedQA-USMLE-4-options', problemContext: 'question' },
  commonsenseqa: { dataset: 'tau/commonsense_qa', problemContext: 'question' },
  socialiqa: { dataset: 'allenai/social_i_qa', problemContext: 'question' },
} as const;

export type SourceTask = keyof typeof SOURCE_TASKS;

/** The problem context of a medical question recast as a consultation by the patient's caretaker. */
export const CARETAKER_CONTEXT = 'medical consultation as a patient caretaker';

/**
 * The dataset names whose questions the reference's generator recasts as a caretaker's consultation
 * (`PersonalizedBenchmarkGenerator._extract_problem_content`, src/benchmark_generator.py: `is_multimedqa`). The MedQA
 * of its shipped config, GBaker/MedQA-USMLE-4-options, is not among them.
 */
export const CARETAKER_DATASETS: readonly string[] = ['openlifescienceai/medqa', 'medqa', 'multimedqa'];

/** The `problem_context` of a generated record: the caretaker framing only for the reference's dataset names. */
export function problemContextFor(task: SourceTask, dataset: string | undefined): string {
  return dataset !== undefined && CARETAKER_DATASETS.includes(dataset)
    ? CARETAKER_CONTEXT
    : SOURCE_TASKS[task].problemContext;
}
export const SOURCE_TASK_NAMES = Object.keys(SOURCE_TASKS) as SourceTask[];

export function taskForDataset(dataset: string | undefined): SourceTask | null {
  if (!dataset) return null;
  return SOURCE_TASK_NAMES.find((t) => SOURCE_TASKS[t].dataset === dataset) ?? null;
}

function has(row: Record<string, unknown>, ...keys: string[]): boolean {
  return keys.every((k) => k in row);
}

/** Best guess of a row's source dataset from its field names; 'unknown' when nothing matches. */
export function detectSourceTask(row: unknown): SourceTask | 'unknown' {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'unknown';
  const r = row as Record<string, unknown>;
  if (has(r, 'answerA', 'answerB')) return 'socialiqa';
  if (has(r, 'Question', 'Answer')) return 'aime';
  if (has(r, 'query', 'correct_option')) return 'logiqa';
  if (has(r, 'answer_idx', 'options')) return 'medqa';
  if (has(r, 'answerKey', 'choices')) return 'commonsenseqa';
  if (has(r, 'choices', 'lecture') || has(r, 'choices', 'hint')) return 'scienceqa';
  if (has(r, 'choices', 'subject', 'answer')) return 'mmlu';
  if (has(r, 'question', 'correct_answer')) return 'mascqa';
  if (has(r, 'problem', 'unique_id') || has(r, 'problem', 'solution')) return 'math';
  if (has(r, 'problem', 'answer')) return 'simpleqa';
  return 'unknown';
}
