import { describe, expect, it } from 'vitest';
import { LiveEpisodesResponseSchema } from '../../shared/schemas/api-research.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { joinAs, openSocket, request, type LiveApp } from '../support/live-app.ts';
import { tempDir } from '../support/temp-files.ts';
import { openStudyAppsPerTest } from '../support/open-study-app.ts';

const { studyApp, open } = openStudyAppsPerTest(tempDir(), 'presence');

async function presenceOf(app: LiveApp, cookie: string, episodeId: string) {
  const res = await app.app.inject({
    method: 'GET',
    url: `/api/studies/${app.studyId}/live-episodes`,
    headers: { cookie },
  });
  expect(res.statusCode).toBe(200);
  const episode = LiveEpisodesResponseSchema.parse(res.json()).episodes.find((e) => e.id === episodeId);
  if (!episode) throw new Error(`episode ${episodeId} not listed`);
  return episode.presence;
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() - started > 5000) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the live monitor shows whether the actor is there', () => {
  it('connected → online since the connection; disconnected → disconnected since the close; back → online again', async () => {
    const app = await studyApp();
    const { cookie: researcher } = await signInResearcher(app);
    const actorCookie = await joinAs(app.app, app.storage, app.studyId, 'actor', 'pid-presence');

    const beforeConnect = Date.now();
    const socket = await openSocket(app.url, actorCookie);
    open.push({ close: () => void socket.close() });
    const snapshot = await request(socket, 'play:start', {});
    const episodeId = snapshot.episodeId;

    const online = await presenceOf(app, researcher, episodeId);
    expect(online.state).toBe('online');
    expect(Date.parse(online.since ?? '')).toBeGreaterThanOrEqual(beforeConnect - 1000);
    expect(Date.parse(online.lastInputAt ?? '')).toBeGreaterThanOrEqual(Date.parse(online.since ?? ''));

    const beforeClose = Date.now();
    socket.close();
    const gone = await eventually(
      () => presenceOf(app, researcher, episodeId),
      (p) => p.state === 'disconnected',
    );
    expect(gone.state).toBe('disconnected');
    expect(Date.parse(gone.since ?? '')).toBeGreaterThanOrEqual(beforeClose - 1000);
    expect(Date.parse(gone.since ?? '')).toBeLessThanOrEqual(Date.now());

    const again = await openSocket(app.url, actorCookie);
    open.push({ close: () => void again.close() });
    await request(again, 'episode:resync', { episodeId, afterSeq: 0 });
    const back = await presenceOf(app, researcher, episodeId);
    expect(back.state).toBe('online');
    expect(Date.parse(back.since ?? '')).toBeGreaterThanOrEqual(Date.parse(gone.since ?? ''));
  });

  it('two tabs: closing one keeps the actor online', async () => {
    const app = await studyApp();
    const { cookie: researcher } = await signInResearcher(app);
    const actorCookie = await joinAs(app.app, app.storage, app.studyId, 'actor', 'pid-two-tabs');
    const first = await openSocket(app.url, actorCookie);
    const second = await openSocket(app.url, actorCookie);
    open.push({ close: () => void first.close() }, { close: () => void second.close() });
    const { episodeId } = await request(first, 'play:start', {});
    first.close();
    // A round trip on the other tab lets the server see the first close before the list is read.
    await request(second, 'episode:resync', { episodeId, afterSeq: 0 });
    await new Promise((r) => setTimeout(r, 100));
    expect((await presenceOf(app, researcher, episodeId)).state).toBe('online');
  });
});
