import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { asProlificOpens, setUpLiveStudy } from './support/live-study-setup.ts';
import { acceptConsent } from './support/participant-steps.ts';

// The consent step stores its decision on the server: "I do not agree" ends the visit with a page that says so, and
// an agreement counts on a second device, which skips the consent step.

const dir = tempDir();
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'consent-mut-5c1';
const app = servedWithModel({ dir, model: MODEL, database: 'consent.sqlite', admin });

describe('the consent decision', () => {
  it('a refusal shows "You chose not to take part"; an agreement counts on another device', async () => {
    const setup = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const study = await setUpLiveStudy(await setup.newPage(), app.served.url, admin, MODEL);
    await setup.close();

    const declining = await app.browser.newContext();
    const page = await declining.newPage();
    await page.goto(asProlificOpens(study.actorLink, '5a6b7c8d9e0f1a2b3c4d5e70'));
    await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
    await page.getByRole('button', { name: 'I do not agree' }).click();
    await page.getByRole('heading', { name: 'You chose not to take part' }).waitFor({ timeout: 10_000 });
    await expectAccessible(page, 'consent declined');
    expect(await page.getByRole('link', { name: 'Back to Prolific' }).getAttribute('href')).toBe(
      'https://app.prolific.com/',
    );
    // Nothing ties the Prolific ids to the refusal any more: opening the link again is a new participant, asked anew.
    await page.reload();
    await page.getByRole('heading', { name: /Information and consent/ }).waitFor({ timeout: 10_000 });
    await declining.close();

    // Agreeing in one browser; the same person's second browser (same Prolific ids) goes past consent.
    const pid = '5a6b7c8d9e0f1a2b3c4d5e71';
    const first = await app.browser.newContext();
    const one = await first.newPage();
    await one.goto(asProlificOpens(study.actorLink, pid));
    await acceptConsent(one);
    await one.getByRole('button', { name: 'Try a practice round' }).waitFor();
    await first.close();
    const second = await app.browser.newContext();
    const two = await second.newPage();
    await two.goto(asProlificOpens(study.actorLink, pid));
    await two.getByRole('button', { name: 'Try a practice round' }).waitFor();
    await expectAccessible(two, 'second device: instructions, consent already given');
    await second.close();
  });
});
