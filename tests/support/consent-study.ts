/**
 * A study to open participant pages on, set up over HTTP as the researcher's browser does it: the sample opened for
 * live play with a consent text to look for on the page, and one actor and one rater invitation link. Used by the
 * first-load browser test and the first-paint bench. The server must have been started with this admin account.
 */

import { ADMIN, call, signInAsAdmin } from './researcher-http.ts';

export { ADMIN };

/** The study's consent: the test waits for it, the bench times the moment it is on the screen. */
export const CONSENT_TEXT =
  'This study asks you to chat with an AI model as a described person and then rate its answer. ' +
  'Your replies are stored with your Prolific ID for payment.';

export interface FirstPaintStudy {
  studyId: string;
  actorCode: string;
  raterCode: string;
}

export async function setUpFirstPaintStudy(url: string, model: string): Promise<FirstPaintStudy> {
  const cookie = await signInAsAdmin(url);
  const studies = (await call(`${url}/api/studies`, 'GET', cookie)).studies as { id: string }[];
  const studyId = studies[0]?.id ?? '';
  await call(`${url}/api/studies/${studyId}/settings`, 'PUT', cookie, {
    models: [model],
    judgeModel: model,
    simulatorModel: model,
    simulatedTwin: false,
    consentText: CONSENT_TEXT,
    completionCodes: { completed: 'C0DE-OK' },
    playsPerRecord: 100,
    quotas: { playsPerActor: 1 },
  });
  await call(`${url}/api/studies/${studyId}/open`, 'POST', cookie, {});
  const invite = async (role: 'actor' | 'rater'): Promise<string> =>
    ((await call(`${url}/api/studies/${studyId}/invites`, 'POST', cookie, { role })).invite as { code: string }).code;
  return { studyId, actorCode: await invite('actor'), raterCode: await invite('rater') };
}
