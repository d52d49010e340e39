import type { ChatRequestBody, PlannedReply } from '../../support/fake-openai-server.ts';

/**
 * A model under test that streams its turns slowly, through the fake OpenAI-compatible server: the built-in
 * `scripted` model emits a whole turn at once, so a browser could never be reloaded "while a turn streams" with it.
 * It asks discovery questions until the engine asks for the final answer, then answers, always in the
 * ###ACTION### / ###RESPONSE### protocol the browser must hide.
 */
const QUESTIONS = [
  'Before I explain, how familiar are you with regular hexagons — their angles and the triangles inside them?',
  'Would a picture described in words help you before any formula, or would you rather see the calculation first?',
  'Is there something from your own work or daily life I could connect this shape to?',
];

const ANSWER = [
  'Picture a honeycomb cell: a regular hexagon with side 6. Joining its centre to the six corners cuts it into six equal',
  'equilateral triangles. Triangle ACE is made of three kite-halves of those, and its area works out to 27√3 square units.',
].join(' ');

const text = (content: unknown): string => (typeof content === 'string' ? content : JSON.stringify(content));

export function pacedAssistant(options: { chunks: number; chunkDelayMs: number }) {
  return (body: ChatRequestBody): PlannedReply => {
    const asked = body.messages.filter((m) => m.role === 'assistant').length;
    const last = text(body.messages[body.messages.length - 1]?.content);
    const turn = /final answer/i.test(last)
      ? `###ACTION###: 'final_answer'\n###RESPONSE###: ${ANSWER}`
      : `###ACTION###: 'ask_question'\n###RESPONSE###: ${QUESTIONS[asked % QUESTIONS.length] ?? ''}`;
    return { kind: 'text', text: turn, chunks: options.chunks, chunkDelayMs: options.chunkDelayMs };
  };
}
