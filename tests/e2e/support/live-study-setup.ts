import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible } from './accessibility.ts';
import { openStudy, openTab } from './console-pages.ts';
import { signIn, type Credentials } from './researcher-forms.ts';

/** The researcher's side of the journey, in the browser: configure the study, open it, create the invitation links. */

export interface OpenedStudy {
  studyId: string;
  actorLink: string;
  raterLink: string;
  /** Researcher requests over HTTP (the browser's session cookie), for waiting on server state. */
  headers: Record<string, string>;
}

// Two records of the sample, one per actor (an actor plays each record once); the first is played first.
const PROBLEM_IDS = ['problem_0_okafor_3b09eb59', 'problem_0_esposito_2ce4253f'];

/**
 * Signs in, opens the "Sample benchmark" study's Settings tab and chooses `model` as the model under test; returns
 * the study's id.
 */
export async function openSampleSettings(page: Page, base: string, admin: Credentials, model: string): Promise<string> {
  await page.goto(base);
  await signIn(page, admin);
  await openStudy(page, 'Sample benchmark');
  const studyId = decodeURIComponent(/\/studies\/([^/]+)/.exec(new URL(page.url()).pathname)?.[1] ?? '');
  expect(studyId).not.toBe('');
  await openTab(page, 'Settings');
  const models = page.getByRole('combobox', { name: 'Models under test' });
  await models.fill(model);
  await models.press('Enter');
  return studyId;
}

/** Saves the filled-in settings, opens the study and makes an actor and a rater link. */
export async function saveOpenAndInvite(page: Page, base: string, studyId: string): Promise<OpenedStudy> {
  await expectAccessible(page, 'console: settings filled in');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved.').waitFor();
  await page.getByRole('button', { name: 'Open study' }).click();
  await page.getByText('The study is open. Pause it').waitFor();
  await expectAccessible(page, 'console: settings saved, study open');

  await openTab(page, 'Invites');
  await page.getByRole('button', { name: 'New actor link' }).click();
  const actorLink = await page.getByRole('textbox', { name: 'actor link' }).inputValue();
  await page.getByRole('button', { name: 'New rater link' }).click();
  const raterLink = await page.getByRole('textbox', { name: 'rater link' }).inputValue();
  await expectAccessible(page, 'console: invites with an actor and a rater link');
  const session = (await page.context().cookies(base)).find((c) => c.name === 'pd_session');
  expect(session, 'the researcher is signed in').toBeDefined();
  return { studyId, actorLink, raterLink, headers: { cookie: `pd_session=${session?.value ?? ''}` } };
}

/** Signs in, sets up "Sample benchmark" for live play with `model`, opens it, and makes an actor and a rater link. */
export async function setUpLiveStudy(
  page: Page,
  base: string,
  admin: Credentials,
  model: string,
): Promise<OpenedStudy> {
  const studyId = await openSampleSettings(page, base, admin, model);
  await page.getByLabel('Max turns', { exact: true }).fill('3');
  await page.getByLabel('Only these problem ids').check();
  await page.getByRole('button', { name: 'Paste a list instead…' }).click();
  await page.getByLabel('Problem ids', { exact: true }).fill(PROBLEM_IDS.join('\n'));
  await page.getByLabel('Raters per answer (k)', { exact: true }).fill('1');
  await page
    .getByLabel('Instructions for persona actors', { exact: true })
    .fill('Play the persona as naturally as you can. Keep replies to one or two sentences.');
  await page.getByLabel('Instructions for raters', { exact: true }).fill('Judge the answer for this person only.');
  await page.getByLabel('Completed', { exact: true }).fill('DONE123');
  return saveOpenAndInvite(page, base, studyId);
}

/** An invitation link as Prolific opens it: its placeholders filled with this participant's ids. */
export function asProlificOpens(link: string, pid: string): string {
  return link.replace('{{%PROLIFIC_PID%}}', pid).replace('{{%STUDY_ID%}}', 's1').replace('{{%SESSION_ID%}}', 'x1');
}

/** Waits until the study has `count` answers to rate (the live one and its simulated twin). */
export async function waitForCandidates(
  base: string,
  study: OpenedStudy,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/api/studies/${study.studyId}/assignments`, { headers: study.headers });
    expect(res.status).toBe(200);
    const candidates = ((await res.json()) as { candidates?: unknown[] }).candidates ?? [];
    if (candidates.length >= count) return;
    if (Date.now() > until)
      throw new Error(`only ${candidates.length} of ${count} rating candidates after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
