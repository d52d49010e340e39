import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import { buildApp, type AppDeps } from '../../server/app.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import type { ModelProvider } from '../../server/models/model-provider.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import type { PlayQueue } from '../../server/services/live/live-types.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { agreeToConsentByInject } from './consent-agreement.ts';
import { openSampleStorage } from './sample-storage.ts';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveApp {
  app: FastifyInstance;
  storage: Storage;
  url: string;
  studyId: string;
  close(): Promise<void>;
}

/**
 * The real app with live play on a real SQLite file, listening on port 0, with the sample imported. `model` fills
 * the assistant seat (default: the scripted model); `deps` sets more of the app (security settings, logger, limits).
 */
export async function startLiveApp(
  dbFile: string,
  options: {
    queue: (storage: Storage, model: string) => PlayQueue;
    model?: ModelProvider;
    /** How long live episodes retry a failing append before they fail with storage_failed (default: 2 minutes). */
    storageRetryWindowMs?: number;
    deps?: Pick<AppDeps, 'logger' | 'rateLimits' | 'node'> & { config?: Omit<AppDeps['config'], 'clientDir'> };
  },
): Promise<LiveApp> {
  const storage = await openSampleStorage(dbFile);
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const models: Record<string, ModelProvider> = { scripted };
  if (options.model) models[options.model.config.name] = options.model;
  const app = await buildApp({
    ...options.deps,
    config: { clientDir: join(dbFile, '..', 'no-client'), ...options.deps?.config },
    storage,
    rateLimits: { loginPerMinute: 10_000, joinPerMinute: 10_000, ...options.deps?.rateLimits },
    live: {
      model: (name) => {
        const model = models[name];
        if (!model) throw new Error(`unknown model ${name}`);
        return model;
      },
      queue: options.queue(storage, options.model?.config.name ?? 'scripted'),
      ...(options.storageRetryWindowMs !== undefined ? { storageRetryWindowMs: options.storageRetryWindowMs } : {}),
    },
  });
  await app.live?.recover();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const studyId = (await storage.listStudies())[0]?.id ?? '';
  return {
    app,
    storage,
    url,
    studyId,
    close: async () => {
      await app.close();
      await storage.close();
    },
  };
}

/** Joins the study through its invitation link as a real browser would, and returns the session cookie. */
export async function joinAs(
  app: FastifyInstance,
  storage: Storage,
  studyId: string,
  role: 'actor' | 'rater',
  prolificPid?: string,
): Promise<string> {
  const invite = await storage.people.createInvite({ studyId, role });
  const res = await app.inject({
    method: 'POST',
    url: `/api/join/${invite.code}`,
    payload: prolificPid ? { PROLIFIC_PID: prolificPid } : {},
  });
  if (res.statusCode !== 200) throw new Error(`join failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'pd_session');
  if (!cookie) throw new Error('no session cookie');
  // As the consent step does: play refuses anyone who has not agreed.
  await agreeToConsentByInject(app, `pd_session=${cookie.value}`);
  return `pd_session=${cookie.value}`;
}

export async function openSocket(url: string, cookie: string | null): Promise<TestSocket> {
  const socket: TestSocket = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves when `predicate` holds, checking every 10 ms, or fails after `ms`. */
export async function until(predicate: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: Ack<infer T>,
) => void
  ? T
  : never;

/** Sends a request and returns its ack's data; a refusal throws with the code, so tests read as the happy path. */
export async function request<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<AckData<E>> {
  const raw = socket as unknown as Socket;
  const ack = (await raw.timeout(5000).emitWithAck(event, payload)) as Ack<AckData<E>>;
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error} ${JSON.stringify(ack.issues ?? [])}`);
  return ack.data;
}
