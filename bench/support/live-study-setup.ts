import { performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, call, signInAsAdmin } from '../../tests/support/researcher-http.ts';
import { agreeToConsentOverHttp } from '../../tests/support/consent-agreement.ts';

/**
 * The researcher's side of a live study, over HTTP as the browser does it: log in, save the settings, open the study,
 * make the actor invitation link. And an actor joining through that link. Shared by the live bench and crash test.
 */

export { ADMIN };

export interface LiveStudyOptions {
  /** Declared model names (see writeModelsFile). */
  model: string;
  judgeModel: string;
  /** Plays per (record, model): enough units for every session. */
  playsPerRecord: number;
  playsPerActor: number;
  /** Limit the study to these records (default: all of the sample). */
  problemIds?: string[];
  /** Run each live episode's simulated twin (default: off, so a bench measures live play alone). */
  simulatedTwin?: boolean;
}

export interface LiveStudy {
  studyId: string;
  inviteCode: string;
  researcherCookie: string;
}

/** Retry and timeout settings of the declared models (models.json field names). */
export interface ModelCallSettings {
  maxRetries?: number;
  retryBaseDelayMs?: number;
  timeoutMs?: number;
}

/** A models.json declaring `mut` (the model under test) and `judge`, both served by one OpenAI-compatible server. */
export function writeModelsFile(dir: string, baseUrl: string, calls: ModelCallSettings = {}): string {
  const common = {
    provider: 'openai-compatible',
    baseUrl,
    maxRetries: 1,
    retryBaseDelayMs: 10,
    maxConcurrency: 1024,
    ...calls,
  };
  const file = join(dir, 'models.json');
  writeFileSync(
    file,
    JSON.stringify({
      models: [
        { name: 'mut', model: 'mut', ...common },
        { name: 'judge', model: 'judge', ...common },
      ],
    }),
  );
  return file;
}

/** The researcher's live monitor: episodes by status with failure reasons, and each model's failures. */
export interface LiveHealth {
  episodes: {
    running: number;
    completed: number;
    failed: number;
    aborted: number;
    failures: { stage: string; reason: string; count: number }[];
  };
  models: {
    name: string;
    calls: number;
    retries: number;
    failedCalls: number;
    failedAttempts: Record<string, number>;
    lastFailure: { code: string; message: string; at: string; final: boolean } | null;
  }[];
}

export async function liveHealth(url: string, study: LiveStudy): Promise<LiveHealth> {
  return (await call(
    `${url}/api/studies/${study.studyId}/live-health`,
    'GET',
    study.researcherCookie,
  )) as unknown as LiveHealth;
}

/**
 * Waits until none of the study's live episodes is running any more and returns how long that took, in seconds. The
 * persons rate at the final answer, as in the browser, so the judges may still be scoring when the last person is
 * done; the bench stops the server only after that, and reports the wait (the research tail after the people). An
 * episode whose person gave up waits for its idle timeout: after `timeoutMs` the bench goes on, and the check of the
 * stored episodes reports what did not end.
 */
export async function episodesEnded(url: string, study: LiveStudy, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  const waited = (): number => (performance.now() - started) / 1000;
  while ((await liveHealth(url, study)).episodes.running > 0 && waited() * 1000 < timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, 250));
  return waited();
}

export async function setUpLiveStudy(url: string, o: LiveStudyOptions): Promise<LiveStudy> {
  const cookie = await signInAsAdmin(url);
  const studies = (await call(`${url}/api/studies`, 'GET', cookie)).studies as { id: string }[];
  const studyId = studies[0]?.id ?? '';
  await call(`${url}/api/studies/${studyId}/settings`, 'PUT', cookie, {
    models: [o.model],
    judgeModel: o.judgeModel,
    simulatorModel: o.judgeModel,
    simulatedTwin: o.simulatedTwin ?? false,
    completionCodes: { completed: 'C0DE-OK' },
    playsPerRecord: o.playsPerRecord,
    quotas: { playsPerActor: o.playsPerActor },
    records: o.problemIds ? { kind: 'list', problemIds: o.problemIds } : { kind: 'all' },
  });
  await call(`${url}/api/studies/${studyId}/open`, 'POST', cookie, {});
  const invite = (await call(`${url}/api/studies/${studyId}/invites`, 'POST', cookie, { role: 'actor' })).invite as {
    code: string;
  };
  return { studyId, inviteCode: invite.code, researcherCookie: cookie };
}

/**
 * Opens the invitation link as one person and returns their session cookie. `forwardedFor` gives each simulated person
 * their own address behind a trusted proxy, as real participants have, so the per-address join limit applies per person.
 */
export async function joinStudy(
  url: string,
  inviteCode: string,
  prolificPid: string,
  forwardedFor?: string,
): Promise<string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
  };
  const res = await fetch(`${url}/api/join/${inviteCode}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ PROLIFIC_PID: prolificPid }),
  });
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!cookie.startsWith('pd_session=')) throw new Error('join set no session cookie');
  // As the consent step does: play refuses anyone who has not agreed.
  await agreeToConsentOverHttp(url, { cookie, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) });
  return cookie;
}

/** A 24-hex-digit Prolific id, unique per (run, index). */
export function prolificId(run: number, index: number): string {
  return `${run.toString(16).padStart(8, '0')}${index.toString(16).padStart(16, '0')}`.slice(-24);
}
