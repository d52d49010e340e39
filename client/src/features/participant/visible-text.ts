/**
 * The model's turn as a person reads it. The stored message comes from the server already stripped; while a turn
 * streams, the browser has only the raw text, whose first line is the protocol's `###ACTION###: '…'` and whose
 * response follows `###RESPONSE###:`. Neither may flash on screen, not even half-arrived.
 */

const RESPONSE = '###RESPONSE###:';
const ACTION = '###ACTION###';
const ANY_MARKER = /###[A-Z_]+###:?/g;
// A marker still arriving at the end of the stream ("###RESP"), but not a word that merely ends in "#" ("C#").
const PARTIAL_MARKER = /(^|\s)#{1,3}[A-Z_]*#{0,3}:?$/;

export interface StreamView {
  text: string;
  /** From the ACTION line: true when the model is answering, false when it asks, null before the line is complete. */
  final: boolean | null;
}

export function streamView(raw: string): StreamView {
  const actionAt = raw.indexOf(ACTION);
  const actionLine = actionAt === -1 ? null : raw.slice(actionAt).split('\n', 2);
  const final = actionLine && actionLine.length === 2 ? /final_answer/i.test(actionLine[0] ?? '') : null;
  const responseAt = raw.indexOf(RESPONSE);
  let text = responseAt === -1 ? raw : raw.slice(responseAt + RESPONSE.length);
  if (responseAt === -1)
    text = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith(ACTION))
      .join('\n');
  text = text.replace(ANY_MARKER, '').replace(PARTIAL_MARKER, '$1');
  return { text: text.trim(), final };
}
