import { setTimeout as sleep } from 'node:timers/promises';
import { agreeToConsentOverHttp } from '../../support/consent-agreement.ts';
import { openSocket, request, type TestSocket } from '../../support/live-app.ts';

/**
 * A persona actor played from Node (the participant pages are not part of this journey): joins through the invite
 * link the researcher copied, starts a live episode and answers the model's first question over Socket.IO.
 */
export async function playOneReply(
  inviteUrl: string,
  reply: string,
): Promise<{ socket: TestSocket; episodeId: string }> {
  const url = new URL(inviteUrl);
  const res = await fetch(new URL(`/api/join/${url.pathname.split('/').pop() ?? ''}`, url.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await agreeToConsentOverHttp(url.origin, { cookie });
  const socket = await openSocket(url.origin, cookie);
  const snapshot = await request(socket, 'play:start', {});
  let awaiting = snapshot.awaitingTurn;
  for (let i = 0; awaiting === null && i < 200; i++) {
    await sleep(50);
    awaiting = (await request(socket, 'episode:resync', { episodeId: snapshot.episodeId, afterSeq: -1 })).awaitingTurn;
  }
  if (awaiting === null) throw new Error('the model never asked the actor a question');
  await request(socket, 'episode:reply', {
    episodeId: snapshot.episodeId,
    clientMessageId: 'e2e-reply-1',
    text: reply,
  });
  return { socket, episodeId: snapshot.episodeId };
}
