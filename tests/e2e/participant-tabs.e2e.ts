import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { cuttableProxy } from './support/cuttable-proxy.ts';
import { asProlificOpens, setUpLiveStudy, type OpenedStudy } from './support/live-study-setup.ts';
import { pacedAssistant } from './support/paced-assistant.ts';
import { acceptConsent } from './support/participant-steps.ts';

// An actor mid-episode presses Back, reloads, opens the link again in a second tab and comes back later: the task
// stays theirs, nothing claims the server ended it, the unsent draft is kept, and the steps before the task are not
// asked again (docs/live-play.md, "Tabs, Back and drafts").

const dir = tempDir();
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'tabs-mut-5c1';
const app = servedWithModel({
  dir,
  model: MODEL,
  database: 'tabs.sqlite',
  admin,
  respond: pacedAssistant({ chunks: 3, chunkDelayMs: 20 }),
});
let study: OpenedStudy | null = null;

const FALSE_ENDING = /server ended this session|session has ended/i;
const questions = (page: Page) => page.getByRole('article', { name: /^Question \d/ });
const replyBox = (page: Page) => page.getByLabel('Your reply');

/** MUI buttons fade between disabled and enabled colours (a few hundred ms): axe must see the settled colours. */
const colorsSettled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 600));

/** The play page with the conversation so far, no false ending, and this draft in the reply box. */
async function expectPlaying(page: Page, asked: number, draft: string, state: string): Promise<void> {
  await page.waitForURL(/\/play$/);
  await questions(page)
    .nth(asked - 1)
    .waitFor({ timeout: 20_000 });
  await expect.poll(() => replyBox(page).inputValue(), { timeout: 5000 }).toBe(draft);
  expect(await page.getByText(FALSE_ENDING).count(), `${state}: no false ending`).toBe(0);
  await colorsSettled();
  await expectAccessible(page, state);
}

describe('an actor mid-episode: Back, reload, a second tab, coming back', () => {
  it('keeps the task and the draft, asks before a second tab takes over, and skips the steps already done', async () => {
    const setup = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    study = await setUpLiveStudy(await setup.newPage(), app.served.url, admin, MODEL);
    await setup.close();

    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const link = asProlificOpens(study.actorLink, '0a1b2c3d4e5f6a7b8c9d0e1f');
    const first = await context.newPage();
    const errors: string[] = [];
    first.on('pageerror', (e) => errors.push(e.message));
    await first.goto(link);
    await acceptConsent(first);
    await first.getByRole('button', { name: 'Try a practice round' }).click();
    await first.getByRole('button', { name: 'Go to the real task' }).click();
    await questions(first).first().waitFor({ timeout: 20_000 });
    const draft = 'I think a picture would help, but';
    await replyBox(first).fill(draft);
    await colorsSettled();
    await expectAccessible(first, 'play: a draft typed, not sent');

    console.info('tabs e2e: Back leaves the study');
    // Back leaves the study (its steps replaced one history entry); Forward returns to the same task and draft.
    await first.goBack();
    expect(first.url()).not.toMatch(/\/join\//);
    await first.goForward();
    await expectPlaying(first, 1, draft, 'play: after Back and Forward');

    console.info('tabs e2e: A reload keeps');
    // A reload keeps the draft too.
    await first.reload();
    await expectPlaying(first, 1, draft, 'play: after a reload');

    console.info('tabs e2e: The link opened again');
    // The link opened again in a second tab: straight past consent, instructions and practice to the question
    // "continue here?"; the first tab plays on meanwhile.
    const second = await context.newPage();
    second.on('pageerror', (e) => errors.push(e.message));
    await second.goto(link);
    await second.getByRole('heading', { name: 'This task is open in another tab' }).waitFor();
    expect(await second.getByRole('heading', { name: /Information and consent/ }).count()).toBe(0);
    expect(await replyBox(second).count()).toBe(0);
    await expectAccessible(second, 'second tab: asks before taking over');
    await expectPlaying(first, 1, draft, 'first tab: while the second one asks');

    console.info('tabs e2e: "Continue here"');
    // "Continue here": the second tab plays with the draft; the first one says where the task went and takes no text.
    await second.getByRole('button', { name: 'Continue here' }).click();
    await expectPlaying(second, 1, draft, 'second tab: took over');
    await first.getByRole('heading', { name: 'This task continues in another tab' }).waitFor();
    expect(await replyBox(first).count()).toBe(0);
    expect(await first.getByText(FALSE_ENDING).count()).toBe(0);
    await expectAccessible(first, 'first tab: taken over');

    console.info('tabs e2e: The reply goes');
    // The reply goes from the second tab; the model asks its next question; the sent draft is gone for good.
    await replyBox(second).fill(`${draft} only after the numbers.`);
    await replyBox(second).press('Enter');
    await questions(second).nth(1).waitFor({ timeout: 20_000 });
    await second.reload();
    await expectPlaying(second, 2, '', 'second tab: reloaded after sending');
    await second.getByText(`${draft} only after the numbers.`).waitFor();

    console.info('tabs e2e: Coming back later');
    // Coming back later in a new tab, with no other tab open: straight to the task, no question asked.
    await first.close();
    await second.close();
    const later = await context.newPage();
    later.on('pageerror', (e) => errors.push(e.message));
    await later.goto(link);
    await expectPlaying(later, 2, '', 'coming back: straight to the task');
    expect(await later.getByRole('heading', { name: /Information and consent/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a reply sent while the connection is down is sent by itself once it is back, as the page promises', async () => {
    if (!study) throw new Error('the study is set up by the test before');
    const proxy = await cuttableProxy(app.served.url);
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const viaProxy = new URL(asProlificOpens(study.actorLink, '1b2c3d4e5f6a7b8c9d0e1f2a'));
      viaProxy.host = new URL(proxy.url).host;
      await page.goto(viaProxy.toString());
      await acceptConsent(page);
      await page.getByRole('button', { name: 'Try a practice round' }).click();
      await page.getByRole('button', { name: 'Go to the real task' }).click();
      await questions(page).first().waitFor({ timeout: 20_000 });

      proxy.cut();
      await page.getByText(/Connection lost/).waitFor({ timeout: 20_000 });
      await replyBox(page).fill('Sent from the tunnel.');
      await replyBox(page).press('Enter');
      await page.getByText('Your reply will be sent when the connection is back.').waitFor();
      await expectAccessible(page, 'play: offline, the reply waiting');

      proxy.mend();
      // No reload, no click: the reply goes when the socket is back, and the model answers it.
      await questions(page).nth(1).waitFor({ timeout: 30_000 });
      await page.getByText('Sent from the tunnel.').first().waitFor();
      expect(await page.getByText(/Connection lost/).count()).toBe(0);
      expect(await page.getByText(FALSE_ENDING).count()).toBe(0);
      await expectAccessible(page, 'play: back online, the reply sent');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await proxy.close();
    }
  }, 120_000);
});
