import { describe, expect, it } from 'vitest';
import type { ActorEvent } from '../../shared/protocol/live.ts';
import { LiveUnitsSchema } from '../../shared/schemas/api-live-sessions.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { joinAs, openSocket, request, until, type LiveApp } from '../support/live-app.ts';
import { tempDir } from '../support/temp-files.ts';
import { openStudyAppsPerTest } from '../support/open-study-app.ts';

const { studyApp, open } = openStudyAppsPerTest(tempDir(), 'routes');

async function units(app: LiveApp, cookie: string) {
  const res = await app.app.inject({
    method: 'GET',
    url: `/api/studies/${app.studyId}/live-units`,
    headers: { cookie },
  });
  expect(res.statusCode).toBe(200);
  return LiveUnitsSchema.parse(res.json()).units;
}

describe('researchers oversee live units', () => {
  it('are the only ones who may list units, end sessions and release units', async () => {
    const app = await studyApp();
    const actor = await joinAs(app.app, app.storage, app.studyId, 'actor', 'pid-auth');
    const routes = [
      { method: 'GET' as const, url: `/api/studies/${app.studyId}/live-units` },
      { method: 'POST' as const, url: `/api/studies/${app.studyId}/episodes/e1/end`, payload: { reason: 'stuck' } },
      {
        method: 'POST' as const,
        url: `/api/studies/${app.studyId}/assignments/a1/release`,
        payload: { reason: 'hoarded' },
      },
    ];
    for (const route of routes) {
      expect((await app.app.inject(route)).statusCode, `${route.url} without a session`).toBe(401);
      expect((await app.app.inject({ ...route, headers: { cookie: actor } })).json()).toMatchObject({
        error: 'forbidden',
      });
    }
  });

  it('see a started, never played unit; ending its session stores the reason, releases the lease and the actor sees it', async () => {
    const app = await studyApp();
    const { cookie: researcher } = await signInResearcher(app);
    const actorCookie = await joinAs(app.app, app.storage, app.studyId, 'actor', 'pid-hoarder');
    const socket = await openSocket(app.url, actorCookie);
    open.push({ close: () => void socket.close() });
    const seen: ActorEvent[] = [];
    socket.on('episode:appended', ({ event }) => seen.push(event));
    const snapshot = await request(socket, 'play:start', {});

    const listed = await units(app, researcher);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      state: 'playing',
      episodeId: snapshot.episodeId,
      prolificPid: 'pid-hoarder',
      replies: 0,
      model: 'scripted',
    });
    const assignmentId = listed[0]?.assignmentId ?? '';
    expect(assignmentId).not.toBe('');
    // A page of the units, with how many are held in all.
    const pastTheEnd = await app.app.inject({
      method: 'GET',
      url: `/api/studies/${app.studyId}/live-units?offset=1&limit=25`,
      headers: { cookie: researcher },
    });
    expect(pastTheEnd.json()).toEqual({ total: 1, units: [] });
    const firstPage = await app.app.inject({
      method: 'GET',
      url: `/api/studies/${app.studyId}/live-units?limit=1`,
      headers: { cookie: researcher },
    });
    const page = LiveUnitsSchema.parse(firstPage.json());
    expect(page.total).toBe(1);
    expect(page.units.map((u) => u.episodeId)).toEqual([snapshot.episodeId]);

    const end = (episodeId: string, body: unknown) =>
      app.app.inject({
        method: 'POST',
        url: `/api/studies/${app.studyId}/episodes/${episodeId}/end`,
        headers: { cookie: researcher },
        payload: body as Record<string, unknown>,
      });
    expect((await end(snapshot.episodeId, { reason: '  ' })).json()).toMatchObject({ error: 'invalid_payload' });
    expect((await end('no-such-episode', { reason: 'stuck' })).statusCode).toBe(404);
    const wrongStudy = await app.app.inject({
      method: 'POST',
      url: `/api/studies/other-study/episodes/${snapshot.episodeId}/end`,
      headers: { cookie: researcher },
      payload: { reason: 'stuck' },
    });
    expect(wrongStudy.statusCode).toBe(404);
    // A unit with a session running is ended through its session, not released under it.
    const releaseLive = await app.app.inject({
      method: 'POST',
      url: `/api/studies/${app.studyId}/assignments/${assignmentId}/release`,
      headers: { cookie: researcher },
      payload: { reason: 'hoarded' },
    });
    expect(releaseLive.json()).toMatchObject({ error: 'conflict' });

    const ended = await end(snapshot.episodeId, { reason: 'participant stopped answering messages' });
    expect(ended.statusCode).toBe(200);
    await until(() => seen.some((e) => e.type === 'episode_failed'), 5000, 'the actor seeing the end');
    expect(seen.find((e) => e.type === 'episode_failed')).toMatchObject({ code: 'ended_by_researcher' });
    const log = await app.storage.live.eventsAfter(snapshot.episodeId, -1);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    expect(log.at(-1)).toMatchObject({
      type: 'episode_failed',
      stage: 'internal',
      code: 'ended_by_researcher',
      reason: 'participant stopped answering messages',
    });
    expect((await app.storage.live.get(snapshot.episodeId))?.summary).toMatchObject({
      status: 'failed',
      failure: { stage: 'internal', reason: 'participant stopped answering messages' },
    });
    expect((await app.storage.work.getPlayLease(assignmentId))?.status).toBe('released');
    // A researcher's end stores no outcome for the actor (no partial-pay code): the researcher decides about payment.
    const actorId = (await app.storage.live.get(snapshot.episodeId))?.participantId ?? '';
    expect(actorId).not.toBe('');
    expect(await app.storage.work.getOutcome(actorId)).toBeNull();
    expect(await units(app, researcher)).toEqual([]);
    expect((await end(snapshot.episodeId, { reason: 'again' })).json()).toMatchObject({ error: 'conflict' });
    // The actor is not sent back to the ended episode.
    const next = await request(socket, 'play:start', {});
    expect(next.episodeId).not.toBe(snapshot.episodeId);
  });

  it('release a unit still leased after its episode ended', async () => {
    const app = await studyApp();
    const { cookie: researcher } = await signInResearcher(app);
    const actorCookie = await joinAs(app.app, app.storage, app.studyId, 'actor', 'pid-held');
    const socket = await openSocket(app.url, actorCookie);
    open.push({ close: () => void socket.close() });
    const snapshot = await request(socket, 'play:start', {});
    // An episode that ended without giving its lease back (as a failing model leaves it).
    await app.storage.live.finish(snapshot.episodeId, {
      status: 'failed',
      weightedScore: null,
      correct: null,
      interactionTurns: null,
      failure: { stage: 'assistant', reason: 'provider down' },
    });
    const listed = await units(app, researcher);
    expect(listed).toEqual([expect.objectContaining({ state: 'held', episodeId: snapshot.episodeId })]);
    const assignmentId = listed[0]?.assignmentId ?? '';

    const release = (id: string) =>
      app.app.inject({
        method: 'POST',
        url: `/api/studies/${app.studyId}/assignments/${id}/release`,
        headers: { cookie: researcher },
        payload: { reason: 'participant left' },
      });
    expect((await release('no-such-assignment')).statusCode).toBe(404);
    expect((await release(assignmentId)).statusCode).toBe(200);
    expect((await app.storage.work.getPlayLease(assignmentId))?.status).toBe('released');
    // A researcher's end stores no outcome for the actor (no partial-pay code): the researcher decides about payment.
    const actorId = (await app.storage.live.get(snapshot.episodeId))?.participantId ?? '';
    expect(actorId).not.toBe('');
    expect(await app.storage.work.getOutcome(actorId)).toBeNull();
    expect(await units(app, researcher)).toEqual([]);
    expect((await release(assignmentId)).json()).toMatchObject({ error: 'conflict' });
  });
});
