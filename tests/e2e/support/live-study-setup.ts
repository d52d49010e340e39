import { expect } from 'vitest';

/** The researcher's side of the journey, over HTTP as the console would do it: configure, open, invite. */

export interface OpenedStudy {
  studyId: string;
  actorCode: string;
  raterCode: string;
  /** Researcher requests: the session cookie, JSON. */
  headers: Record<string, string>;
}

// Two records of the sample, one per actor (an actor plays each record once); the first is played first.
const PROBLEM_IDS = ['problem_0_okafor_3b09eb59', 'problem_0_esposito_2ce4253f'];

async function call(url: string, init: RequestInit, status = 200): Promise<Record<string, unknown>> {
  const res = await fetch(url, init);
  const body = await res.text();
  expect(res.status, `${init.method ?? 'GET'} ${url}: ${body}`).toBe(status);
  return JSON.parse(body) as Record<string, unknown>;
}

export async function openLiveStudy(base: string, admin: { username: string; password: string }, model: string): Promise<OpenedStudy> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  expect(login.status).toBe(200);
  const headers = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '', 'content-type': 'application/json' };
  const studies = (await call(`${base}/api/studies`, { headers })).studies as { id: string }[];
  const studyId = studies[0]?.id ?? '';
  await call(`${base}/api/studies/${studyId}/settings`, {
    method: 'PUT', headers, body: JSON.stringify({
      models: [model], records: { kind: 'list', problemIds: PROBLEM_IDS }, raterOverlap: 1, maxTurns: 3,
      completionCodes: { completed: 'DONE123' },
      instructions: { actor: 'Play the persona as naturally as you can. Keep replies to one or two sentences.', rater: 'Judge the answer for this person only.' },
    }),
  });
  await call(`${base}/api/studies/${studyId}/open`, { method: 'POST', headers, body: '{}' });
  const invite = async (role: 'actor' | 'rater'): Promise<string> =>
    ((await call(`${base}/api/studies/${studyId}/invites`, { method: 'POST', headers, body: JSON.stringify({ role }) }, 201)).invite as { code: string }).code;
  return { studyId, actorCode: await invite('actor'), raterCode: await invite('rater'), headers };
}

/** Waits until the study has `count` answers to rate (the live one and its simulated twin). */
export async function waitForCandidates(base: string, study: OpenedStudy, count: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const progress = await call(`${base}/api/studies/${study.studyId}/assignments`, { headers: study.headers });
    const candidates = (progress.candidates as unknown[] | undefined) ?? [];
    if (candidates.length >= count) return;
    if (Date.now() > until) throw new Error(`only ${candidates.length} of ${count} rating candidates after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
