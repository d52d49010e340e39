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
 * with an ###ACTION### marker, the line it starts on is split at the marker and the LAST piece taken (so of two
 * markers on one line the second decides); that piece, stripped of whitespace and then of the characters `[]'"` only
 * (Python's strip with a character set: whitespace inside the brackets stays, so `[ 'final_answer' ]` is not final),
 * must equal `final_answer` (case-insensitive). Without a marker, a phrase heuristic decides.
 */
export function parseAction(message: string): ParsedAction {
  const at = message.indexOf(ACTION_MARKER);
  if (at !== -1) {
    const line = message.slice(at).split('\n', 1)[0] ?? '';
    const pieces = line.split(ACTION_MARKER);
    const action = (pieces[pieces.length - 1] ?? '').trim().replace(/^[[\]'"]+|[[\]'"]+$/g, '');
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
