/** The assistant's turn markers in the discovery condition, as the reference defines them (docs/engine.md). */
export const ACTION_MARKER = '###ACTION###:';
export const RESPONSE_MARKER = '###RESPONSE###:';
export const STOP_SIGNAL = '###STOP###';

const FINAL_PHRASES = ['here is the solution', 'the answer is', 'finally, we get', 'in conclusion'];
const QUESTION_PHRASES = ['what do you think', 'how do you', 'would you like', 'are you familiar'];

export interface ParsedAction {
  final: boolean;
  /** 'marker' when the ###ACTION### line decided; 'heuristic' when the reference's phrase heuristic did. */
  via: 'marker' | 'heuristic';
  /** The action text as written (after stripping), or null when there was no marker. */
  action: string | null;
}

/**
 * Whether an assistant message is its final answer, exactly as the reference's `_is_requesting_final_answer`:
 * with an ###ACTION### marker, the rest of that line stripped of whitespace and `[]'"` must equal `final_answer`
 * (case-insensitive); without one, a phrase heuristic decides.
 */
export function parseAction(message: string): ParsedAction {
  const at = message.indexOf(ACTION_MARKER);
  if (at !== -1) {
    const rest = message.slice(at + ACTION_MARKER.length);
    const line = rest.split('\n', 1)[0] ?? '';
    const action = line.trim().replace(/^[\s[\]'"]+|[\s[\]'"]+$/g, '');
    return { final: action.toLowerCase() === 'final_answer', via: 'marker', action };
  }
  const lower = message.toLowerCase();
  const final =
    FINAL_PHRASES.some((p) => lower.includes(p)) &&
    !QUESTION_PHRASES.some((p) => lower.includes(p)) &&
    !message.trimEnd().endsWith('?');
  return { final, via: 'heuristic', action: null };
}

/** The text after ###RESPONSE###: (what a person in the user seat is shown); the whole message when absent. */
export function responseText(message: string): string {
  const at = message.indexOf(RESPONSE_MARKER);
  if (at === -1) return message.trim();
  return message.slice(at + RESPONSE_MARKER.length).trim();
}
