import type { CallPurpose } from '../model-provider.ts';

/** The served process's two model-call threads (main.ts starts them, ThreadedModels routes to them). */
export type ModelThreadRole = 'live' | 'research';

/**
 * Which thread makes a call: the model under test's turns (`assistant`: what a person waits for, streamed to them)
 * on the live thread at the loop's priority; everything else — judges, the disclosure labeler, the simulated user of
 * the per-turn twin replies, generation — on the research thread at nice +10, so on a full machine research calls
 * take only the CPU the person-facing work leaves.
 */
export function modelThreadFor(purpose: CallPurpose): ModelThreadRole {
  return purpose === 'assistant' ? 'live' : 'research';
}
