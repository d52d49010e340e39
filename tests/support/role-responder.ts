import type { ChatRequestBody, PlannedReply } from './fake-openai-server.ts';

function text(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/**
 * Answers each chat-completions request the way a well-behaved model in that role would, recognising the role from
 * the prompt the engine sent: the model under test (ACTION/RESPONSE), the simulated user, the judges, the labeler.
 * `delayMs` simulates model latency.
 */
export function roleResponder(
  options: { delayMs?: number; questions?: number; chunks?: number; chunkDelayMs?: number } = {},
) {
  const questions = options.questions ?? 2;
  return (body: ChatRequestBody): PlannedReply => {
    const system = body.messages.find((m) => m.role === 'system');
    const all = body.messages.map((m) => text(m.content)).join('\n');
    const reply = (t: string): PlannedReply => ({
      kind: 'text',
      text: t,
      ...(options.delayMs ? { delayMs: options.delayMs } : {}),
      ...(options.chunks ? { chunks: options.chunks } : {}),
      ...(options.chunkDelayMs ? { chunkDelayMs: options.chunkDelayMs } : {}),
    });
    if (all.includes('You are role-playing'))
      return reply(JSON.stringify({ thought: 't', response: 'I like short answers.' }));
    if (system && text(system.content).includes('against specific criteria'))
      return reply('{"score": 4, "justification": "Mostly fits."}');
    if (system && text(system.content).includes('correct answer, by comparing'))
      return reply('{"justification": "Matches.", "correct": 1}');
    if (all.includes('You annotate one turn')) return reply('{"asked": [], "revealed": []}');
    const asked = body.messages.filter((m) => m.role === 'assistant').length;
    const last = text(body.messages[body.messages.length - 1]?.content);
    if (!system || !text(system.content).includes('###ACTION###'))
      return reply('Here is a generic answer: 720 degrees.');
    if (asked < questions && !last.includes('final answer'))
      return reply(`###ACTION###: 'ask_question'\n###RESPONSE###: Question ${asked + 1}?`);
    return reply("###ACTION###: 'final_answer'\n###RESPONSE###: The answer is 720, explained simply.");
  };
}
