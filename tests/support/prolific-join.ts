import type { FastifyInstance } from 'fastify';
import type { Storage } from '../../server/storage/storage.ts';
import { agreeToConsentByInject } from './consent-agreement.ts';

/** A Prolific participant id: 24 hex characters, as Prolific makes them; `n` keeps them apart. */
export const prolificPid = (n: number): string => `5f${String(n).padStart(2, '0')}${'a1b2c3d4e5'.repeat(2)}`;

/** Person `n`, arrived through a Prolific link: the ids the link carried, their invitation and their session. */
export interface ProlificPerson {
  pid: string;
  prolificStudyId: string;
  sessionId: string;
  /** The link's query parameters (PROLIFIC_PID, STUDY_ID, SESSION_ID), to open the same link again. */
  params: Record<string, string>;
  /** The invitation code of the link. */
  code: string;
  /** The session cookie header the join set. */
  cookie: string;
  participantId: string;
}

/** Joins `studyId` as `role` through a new invitation link carrying person `n`'s Prolific ids, as a fresh browser. */
export async function joinFromProlific(
  t: { app: FastifyInstance; storage: Storage },
  studyId: string,
  role: 'actor' | 'rater',
  n: number,
): Promise<ProlificPerson> {
  const invite = await t.storage.people.createInvite({ studyId, role });
  const ids = { pid: prolificPid(n), prolificStudyId: 'study0000000000000000000a', sessionId: `session-${n}` };
  const params = { PROLIFIC_PID: ids.pid, STUDY_ID: ids.prolificStudyId, SESSION_ID: ids.sessionId };
  const res = await t.app.inject({ method: 'POST', url: `/api/join/${invite.code}`, payload: params });
  if (res.statusCode !== 200) throw new Error(`join failed: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'pd_session');
  if (!session) throw new Error('no session cookie');
  const participantId = String(res.json<Record<string, unknown>>()['participantId']);
  // As the consent step does: play and rating refuse anyone who has not agreed.
  await agreeToConsentByInject(t.app, `pd_session=${session.value}`);
  return { ...ids, params, code: invite.code, cookie: `pd_session=${session.value}`, participantId };
}
