import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { asProlificOpens, setUpLiveStudy } from './support/live-study-setup.ts';
import { acceptConsent } from './support/participant-steps.ts';

// Withdrawing from the participant header: a confirm dialog, then a page saying the data was deleted; the server no
// longer knows the person (their link starts afresh as a new participant).

const dir = tempDir();
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'withdraw-mut-3e9';
const app = servedWithModel({ dir, model: MODEL, database: 'withdraw.sqlite', admin });

describe('withdrawing from the study', () => {
  it('Withdraw asks first, deletes, and says so', async () => {
    const setup = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const study = await setUpLiveStudy(await setup.newPage(), app.served.url, admin, MODEL);
    await setup.close();

    const context = await app.browser.newContext();
    const page = await context.newPage();
    await page.goto(asProlificOpens(study.actorLink, '5a6b7c8d9e0f1a2b3c4d5e99'));
    // Before agreeing there is nothing to withdraw from: the consent page's own "I do not agree" is the way out.
    await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Try a practice round' }).waitFor();

    await page.getByRole('button', { name: 'Withdraw' }).click();
    const dialog = page.getByRole('dialog', { name: 'Withdraw from the study?' });
    await dialog.waitFor();
    await expectAccessible(page, 'withdraw: confirm dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Try a practice round' }).waitFor();

    await page.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByRole('button', { name: 'Delete my data and withdraw' }).click();
    await page.getByRole('heading', { name: 'You have withdrawn' }).waitFor();
    await expectAccessible(page, 'withdrawn');
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    // The session is gone with the data.
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    await context.close();
  });
});
