import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import type { Ack } from '../../../shared/protocol/acks.ts';
import type { PlaySnapshot, ResyncResult } from '../../../shared/protocol/live.ts';
import type { BlindRatingItem } from '../../../shared/schemas/live-study.ts';
import { buildApp } from '../../../server/app.ts';
import { SCRIPTED_MODEL } from '../../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../../server/models/scripted/scripted-provider.ts';
import type { Storage } from '../../../server/storage/storage.ts';
import { connectSocket, joinAs, mintSessionCookie, signInResearcher } from '../auth-helpers.ts';
import { simplePlayQueue } from '../simple-play-queue.ts';
import { studyWithRecords } from '../study-work-fixtures.ts';
import { DbWatch } from './db-watch.ts';
import { openSampleStorage } from '../sample-storage.ts';

/** Who sends a fuzz case: nobody, the three roles of study A, and an actor and a rater of another study (B). */
export const FUZZ_ROLES = ['nobody', 'researcher', 'actor', 'rater', 'otherActor', 'otherRater'] as const;
export type FuzzRole = (typeof FUZZ_ROLES)[number];

export interface FuzzIds {
  studyId: string;
  otherStudyId: string;
  /** The study-A actor's live episode, waiting for their reply. */
  episodeId: string;
  /** The study-B actor's live episode. */
  otherEpisodeId: string;
  /** A rating item leased to the study-A rater, and the criteria it is scored on. */
  itemId: string;
  criteria: string[];
  problemId: string;
  personaId: string;
  inviteCode: string;
  researcherUsername: string;
  researcherPassword: string;
}

export interface FuzzTarget {
  app: FastifyInstance;
  storage: Storage;
  url: string;
  db: DbWatch;
  ids: FuzzIds;
  participantIds: Record<'actor' | 'rater' | 'otherActor' | 'otherRater', string>;
  cookie(role: FuzzRole): string | null;
  /** A new session for the role (after a case that signed it out or replaced its session). */
  refresh(role: FuzzRole): Promise<void>;
  /** The role's socket, reconnected if the server dropped it. */
  socket(role: FuzzRole): Promise<Socket>;
  /** What is wrong with the server after fuzzing (empty when healthy): health, a researcher read, a whole live turn. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

/** Emits with an ack, answering null after `ms` (a hang) instead of throwing. */
export async function ackWithin(
  socket: Socket,
  event: string,
  payload: unknown,
  ms = 5000,
): Promise<Ack<unknown> | null> {
  try {
    return (await socket.timeout(ms).emitWithAck(event, payload)) as Ack<unknown>;
  } catch {
    return null;
  }
}

async function untilAwaiting(socket: Socket, episodeId: string, ms = 10_000): Promise<ResyncResult | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const ack = (await ackWithin(socket, 'episode:resync', { episodeId, afterSeq: -1 })) as Ack<ResyncResult> | null;
    if (ack?.ok && ack.data.awaitingTurn !== null) return ack.data;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/**
 * The app as deployed (real SQLite file, real HTTP server on 127.0.0.1:0, the scripted model in live play), with two
 * studies and a signed-in person of every role, a live episode waiting for its actor and a rating item leased to its
 * rater, so fuzzed payloads reach past the guards into the services.
 */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'prefdisco-fuzz-'));
  const dbFile = join(dir, 'fuzz.sqlite');
  const storage = await openSampleStorage(dbFile);
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const app = await buildApp({
    config: { clientDir: join(dir, 'no-client'), runsDir: join(dir, 'runs') },
    storage,
    rateLimits: { loginPerMinute: 1_000_000, joinPerMinute: 1_000_000 },
    // No idle timeout during a run: the idle timer's own writes would look like writes by refused requests.
    live: { model: () => scripted, queue: simplePlayQueue(storage, 'scripted', { idleTimeoutSeconds: 3600 }) },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const studyId = (await storage.listStudies())[0]?.id ?? '';
  const other = await studyWithRecords(storage, 'Other study', 3);
  const t = { app, storage };

  const researcher = await signInResearcher(t);
  const subjects: Record<Exclude<FuzzRole, 'nobody'>, { kind: 'researcher' | 'participant'; id: string }> = {
    researcher: { kind: 'researcher', id: researcher.researcherId },
    actor: { kind: 'participant', id: (await joinAs(t, 'actor', { studyId })).participantId },
    rater: { kind: 'participant', id: (await joinAs(t, 'rater', { studyId })).participantId },
    otherActor: { kind: 'participant', id: (await joinAs(t, 'actor', { studyId: other.studyId })).participantId },
    otherRater: { kind: 'participant', id: (await joinAs(t, 'rater', { studyId: other.studyId })).participantId },
  };
  const cookies = new Map<FuzzRole, string>();
  const refresh = async (role: FuzzRole): Promise<void> => {
    if (role === 'nobody') return;
    const s = subjects[role];
    // A participant who withdrew (POST /api/participant/withdraw) is deleted: the role joins its study again.
    if (s.kind === 'participant' && (await storage.people.getParticipant(s.id)) === null) {
      const studyOf = role === 'otherActor' || role === 'otherRater' ? other.studyId : studyId;
      s.id = (
        await joinAs(t, role === 'actor' || role === 'otherActor' ? 'actor' : 'rater', { studyId: studyOf })
      ).participantId;
    }
    cookies.set(role, await mintSessionCookie(t, s.kind, s.id));
  };
  for (const role of FUZZ_ROLES) await refresh(role);
  const sockets = new Map<FuzzRole, Socket>();
  const socket = async (role: FuzzRole): Promise<Socket> => {
    const open = sockets.get(role);
    if (open?.connected) return open;
    open?.close();
    const cookie = cookies.get(role);
    const fresh = (await connectSocket(url, cookie ? { cookie } : {})) as unknown as Socket;
    sockets.set(role, fresh);
    return fresh;
  };

  // Study A: rating settings and one gold item, opened, so its rater holds a leased item.
  const records = await storage.listRecords(studyId, { offset: 0, limit: 1 });
  const problemId = records.items[0]?.problemId ?? '';
  const record = await storage.getRecord(studyId, problemId);
  const criteria = (record?.evaluation_rubric.evaluation_criteria ?? []).map((c) => c.preference);
  const asResearcher = async (method: 'PUT' | 'POST', path: string, payload?: object): Promise<void> => {
    const res = await app.inject({
      method,
      url: path,
      headers: { cookie: cookies.get('researcher') ?? '' },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`fuzz setup: ${method} ${path} → ${res.statusCode} ${res.body}`);
  };
  await asResearcher('PUT', `/api/studies/${studyId}/settings`, {
    models: ['scripted'],
    raterOverlap: 50,
    goldRate: 1,
    quotas: { ratingsPerRater: 100_000 },
  });
  await asResearcher('POST', `/api/studies/${studyId}/gold-items`, {
    items: [{ problemId, answer: 'A poor answer.', expectedScores: Object.fromEntries(criteria.map((c) => [c, 1])) }],
  });
  await asResearcher('POST', `/api/studies/${studyId}/open`);
  const item = (await ackWithin(await socket('rater'), 'rating:next', {})) as Ack<BlindRatingItem> | null;
  if (!item?.ok) throw new Error(`fuzz setup: rating:next → ${JSON.stringify(item)}`);

  const started = (await ackWithin(await socket('actor'), 'play:start', {}, 10_000)) as Ack<PlaySnapshot> | null;
  const otherStarted = (await ackWithin(
    await socket('otherActor'),
    'play:start',
    {},
    10_000,
  )) as Ack<PlaySnapshot> | null;
  if (!started?.ok || !otherStarted?.ok)
    throw new Error(`fuzz setup: play:start → ${JSON.stringify(started)} ${JSON.stringify(otherStarted)}`);
  if (!(await untilAwaiting(await socket('actor'), started.data.episodeId)))
    throw new Error('fuzz setup: the model never asked the actor');
  const invite = await storage.people.createInvite({ studyId, role: 'actor' });
  const db = new DbWatch(dbFile);
  await db.settle();

  const ids: FuzzIds = {
    studyId,
    otherStudyId: other.studyId,
    episodeId: started.data.episodeId,
    otherEpisodeId: otherStarted.data.episodeId,
    itemId: item.data.itemId,
    criteria,
    problemId,
    personaId: record?.persona.id ?? '',
    inviteCode: invite.code,
    researcherUsername: researcher.username,
    researcherPassword: researcher.password,
  };

  let flows = 0;
  return {
    app,
    storage,
    url,
    db,
    ids,
    socket,
    refresh,
    participantIds: {
      actor: subjects.actor.id,
      rater: subjects.rater.id,
      otherActor: subjects.otherActor.id,
      otherRater: subjects.otherRater.id,
    },
    cookie: (role) => cookies.get(role) ?? null,
    async problems() {
      const problems: string[] = [];
      const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
      if (health?.status !== 200 || ((await health.json()) as { ok?: unknown }).ok !== true)
        problems.push(`GET /api/health → ${health?.status ?? 'no answer'}`);
      await refresh('researcher');
      const studies = await fetch(`${url}/api/studies`, {
        headers: { cookie: cookies.get('researcher') ?? '' },
        signal: AbortSignal.timeout(5000),
      }).catch(() => null);
      if (studies?.status !== 200) problems.push(`GET /api/studies as researcher → ${studies?.status ?? 'no answer'}`);
      // A whole live turn for a newcomer: join by link over HTTP, start, get asked, reply, stored once.
      // In study B: fuzzed requests may have paused or closed study A, which then rightly refuses newcomers.
      const code = (await storage.people.createInvite({ studyId: other.studyId, role: 'actor' })).code;
      const joined = await fetch(`${url}/api/join/${code}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ PROLIFIC_PID: `fuzz-flow-${++flows}` }),
        signal: AbortSignal.timeout(5000),
      }).catch(() => null);
      const cookie = joined?.headers
        .getSetCookie()
        .find((c) => c.startsWith('pd_session='))
        ?.split(';')[0];
      if (joined?.status !== 200 || !cookie) return [...problems, `POST /api/join → ${joined?.status ?? 'no answer'}`];
      const s = (await connectSocket(url, { cookie })) as unknown as Socket;
      try {
        const start = (await ackWithin(s, 'play:start', {}, 10_000)) as Ack<PlaySnapshot> | null;
        if (!start?.ok) return [...problems, `play:start → ${JSON.stringify(start)}`];
        const waiting = await untilAwaiting(s, start.data.episodeId);
        if (!waiting) return [...problems, 'the model never asked the newcomer'];
        const reply = (await ackWithin(s, 'episode:reply', {
          episodeId: start.data.episodeId,
          clientMessageId: 'flow-1',
          text: 'I like pictures.',
        })) as Ack<{ seq: number }> | null;
        if (!reply?.ok) return [...problems, `episode:reply → ${JSON.stringify(reply)}`];
        const stored = await storage.live.eventsAfter(start.data.episodeId, reply.data.seq - 1);
        if (stored[0]?.type !== 'message' || stored[0].content !== 'I like pictures.')
          problems.push(`reply not stored at seq ${reply.data.seq}`);
      } finally {
        s.close();
      }
      return problems;
    },
    async close() {
      for (const s of sockets.values()) s.close();
      db.close();
      await app.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
