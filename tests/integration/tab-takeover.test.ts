import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import { agreeToConsentByInject } from '../support/consent-agreement.ts';
import { ActorClient } from '../support/live-actor.ts';
import { openSocket, request, until, type LiveApp, type TestSocket } from '../support/live-app.ts';
import { openStudyAppsPerTest } from '../support/open-study-app.ts';
import { tempDir } from '../support/temp-files.ts';

const { studyApp, open } = openStudyAppsPerTest(tempDir(), 'tabs');

/** Opens the invitation link as a browser would, with the cookie it holds (if any); returns the cookie it then holds. */
async function openLink(app: LiveApp, code: string, cookie: string | null): Promise<{ cookie: string; id: string }> {
  const res = await app.app.inject({
    method: 'POST',
    url: `/api/join/${code}`,
    payload: { PROLIFIC_PID: 'pid-tabs' },
    ...(cookie ? { headers: { cookie } } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  const set = res.cookies.find((c) => c.name === 'pd_session');
  const held = set ? `pd_session=${set.value}` : (cookie ?? '');
  // As the consent step does (again on the same participant: a second agreement changes nothing).
  await agreeToConsentByInject(app.app, held);
  return { cookie: held, id: (res.json() as { participantId: string }).participantId };
}

async function tab(app: LiveApp, cookie: string): Promise<TestSocket> {
  const socket = await openSocket(app.url, cookie);
  open.push({ close: () => void socket.close() });
  return socket;
}

async function rawAck(socket: TestSocket, event: string, payload: unknown): Promise<Ack<unknown>> {
  const loose = socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } };
  return (await loose.timeout(5000).emitWithAck(event, payload)) as Ack<unknown>;
}

describe('a second tab of the same participant', () => {
  it('asks before it takes the task; the old tab is told, refused from then on, and the episode plays on', async () => {
    const app = await studyApp();
    const invite = await app.storage.people.createInvite({ studyId: app.studyId, role: 'actor' });
    const first = await openLink(app, invite.code, null);

    // Tab A plays the first question.
    const a = await tab(app, first.cookie);
    const takenOver: unknown[] = [];
    const disconnects: string[] = [];
    a.on('session:taken-over', (p) => takenOver.push(p));
    a.on('disconnect', (reason) => disconnects.push(reason));
    expect(await request(a, 'session:claim', { tabId: 'tab-a', takeOver: false })).toEqual({ state: 'active' });
    const actorA = new ActorClient(a);
    const snapshot = await request(a, 'play:start', {});
    const episodeId = snapshot.episodeId;
    for (const e of snapshot.events) actorA.events.set(e.seq, e);
    await until(() => actorA.questions().length > 0, 10_000, 'the first question');
    await request(a, 'episode:reply', { episodeId, clientMessageId: 'a-0', text: 'I like pictures.' });

    // The same browser opens the link in tab B: the same participant and session; tab A is not cut off.
    const second = await openLink(app, invite.code, first.cookie);
    expect(second).toEqual(first);
    await new Promise((r) => setTimeout(r, 200));
    expect(disconnects).toEqual([]);
    expect(a.connected).toBe(true);

    // Tab B is told the task is open elsewhere; nothing moves until the person chooses.
    const b = await tab(app, second.cookie);
    expect(await request(b, 'session:claim', { tabId: 'tab-b', takeOver: false })).toEqual({
      state: 'open_elsewhere',
    });
    expect(takenOver).toEqual([]);

    // "Continue here": B takes over, A hears of it and is refused whatever it sends, except asking back.
    expect(await request(b, 'session:claim', { tabId: 'tab-b', takeOver: true })).toEqual({ state: 'active' });
    await until(() => takenOver.length === 1, 5000, 'the takeover event');
    const eventsBefore = actorA.events.size;
    const stale = await rawAck(a, 'episode:reply', { episodeId, clientMessageId: 'a-1', text: 'from the old tab' });
    expect(stale).toMatchObject({ ok: false, error: 'taken_over' });
    expect(await rawAck(a, 'play:start', {})).toMatchObject({ ok: false, error: 'taken_over' });

    // B resumes the same episode with everything A sent, and plays on.
    const actorB = new ActorClient(b);
    const resumed = await request(b, 'play:start', {});
    expect(resumed.episodeId).toBe(episodeId);
    expect(resumed.status).toBe('running');
    for (const e of resumed.events) actorB.events.set(e.seq, e);
    expect(actorB.messages().flatMap((m) => (m.clientMessageId ? [m.text] : []))).toEqual(['I like pictures.']);
    await until(() => actorB.questions().length > 1, 10_000, 'the second question');
    const ack = await request(b, 'episode:reply', { episodeId, clientMessageId: 'b-1', text: 'Short steps, please.' });
    expect(ack.duplicate).toBe(false);

    // Stored: both replies, the stale tab's text never; the episode did not end.
    const stored = await request(b, 'episode:resync', { episodeId, afterSeq: -1 });
    const replies = stored.events.flatMap((e) => (e.type === 'message' && e.clientMessageId ? [e.text] : []));
    expect(replies).toEqual(['I like pictures.', 'Short steps, please.']);
    expect(stored.events.some((e) => e.type === 'episode_failed')).toBe(false);
    // The old tab left the episode's room: it hears nothing more of it.
    await new Promise((r) => setTimeout(r, 200));
    expect(actorA.events.size).toBe(eventsBefore);
    expect(disconnects).toEqual([]);

    // Tab A asks back: B is told in turn, and A plays again.
    const takenFromB: unknown[] = [];
    b.on('session:taken-over', (p) => takenFromB.push(p));
    expect(await request(a, 'session:claim', { tabId: 'tab-a', takeOver: true })).toEqual({ state: 'active' });
    await until(() => takenFromB.length === 1, 5000, 'the takeover event in tab B');
    expect((await request(a, 'episode:resync', { episodeId, afterSeq: -1 })).status).toBe('running');
    expect(await rawAck(b, 'episode:resync', { episodeId, afterSeq: -1 })).toMatchObject({ error: 'taken_over' });
  });

  it('a reconnect of the same tab is not a second tab, and a tab alone takes the task at once', async () => {
    const app = await studyApp();
    const invite = await app.storage.people.createInvite({ studyId: app.studyId, role: 'actor' });
    const { cookie } = await openLink(app, invite.code, null);
    const old = await tab(app, cookie);
    expect(await request(old, 'session:claim', { tabId: 'tab-a', takeOver: false })).toEqual({ state: 'active' });
    const closed = new Promise<string>((resolve) => old.once('disconnect', (reason) => resolve(reason)));
    // The same page on a new socket before the server noticed its old one drop: active, and the old socket goes.
    const again = await tab(app, cookie);
    expect(await request(again, 'session:claim', { tabId: 'tab-a', takeOver: false })).toEqual({ state: 'active' });
    expect(await closed).toBe('io server disconnect');
    again.close();
    // With no tab open, a new tab takes the task without asking.
    const later = await tab(app, cookie);
    await until(() => !again.connected, 2000, 'the close');
    await new Promise((r) => setTimeout(r, 100));
    expect(await request(later, 'session:claim', { tabId: 'tab-c', takeOver: false })).toEqual({ state: 'active' });
  });
});
