import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import de from '../../shared/i18n/locales/de.json';
import en from '../../shared/i18n/locales/en.json';
import { tempDir } from '../support/temp-files.ts';
import { e2eSettings } from '../support/test-env.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { openTab } from './support/console-pages.ts';
import { asProlificOpens, setUpLiveStudy, waitForCandidates, type OpenedStudy } from './support/live-study-setup.ts';
import { pacedAssistant } from './support/paced-assistant.ts';
import { criterionCount, scoreWithKeyboard } from './support/participant-steps.ts';

/**
 * A study set to German, end to end in a real browser: the researcher picks the language in the settings form; an
 * actor joins, consents, reads the instructions, practises, plays against a (fake) model, rates the answer and gets
 * the completion code; a rater rates both answers. Every step is checked for German texts, `<html lang="de">`, no
 * English text of the participant catalog on screen, and accessibility.
 */

const dir = tempDir();
const { screenshotDir: shots } = e2eSettings(dir);
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'paced-lang-4c2';
const app = servedWithModel({
  dir,
  model: MODEL,
  database: 'language.sqlite',
  admin,
  respond: pacedAssistant({ chunks: 4, chunkDelayMs: 20 }),
});
let study: OpenedStudy;

/** The English catalog's messages that would betray an untranslated page: whole sentences and labels, not names. */
function englishTexts(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (typeof node !== 'object' || node === null) return [];
  return Object.values(node).flatMap(englishTexts);
}
const SAME_IN_GERMAN = new Set(englishTexts(de));
const ENGLISH = [
  ...new Set(
    englishTexts(en)
      .filter((text) => !SAME_IN_GERMAN.has(text))
      // Interpolated messages are checked by their fixed start (before the first placeholder).
      .map((text) => text.split('{{')[0]?.trim() ?? '')
      .filter((text) => text.length >= 12),
  ),
];

/** The page's visible text holds no English message of the participant catalog, and the document says it is German. */
async function expectGerman(page: Page, state: string): Promise<void> {
  expect(await page.locator('html').getAttribute('lang'), state).toBe('de');
  const visible = await page.locator('body').innerText();
  expect(
    ENGLISH.filter((text) => visible.includes(text)),
    `English participant text on "${state}"`,
  ).toEqual([]);
  await expectAccessible(page, state);
}

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: join(shots, name), animations: 'disabled' });

async function reply(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Ihre Antwort');
  await box.fill(text);
  await box.press('Enter');
}

/** Consent in German: refused without the tick (with the German reason), then given. */
async function consentInGerman(page: Page): Promise<void> {
  await page.getByRole('heading', { name: /Information und Einwilligung/ }).waitFor();
  await page.getByText(/Sie sind eingeladen, an einer Forschungsstudie teilzunehmen/).waitFor();
  await expectGerman(page, 'consent (German)');
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /Bitte setzen Sie das Häkchen/ })
    .waitFor();
  await expectGerman(page, 'consent without the tick (German)');
  await page.getByLabel(/Ich habe die obigen Informationen gelesen/).check();
  await page.getByRole('button', { name: 'Weiter' }).click();
}

describe('a study whose participants read German', () => {
  it('the researcher sets the participant language to German in the settings form', async () => {
    const page = await (await app.browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    study = await setUpLiveStudy(page, app.served.url, admin, MODEL);
    await openTab(page, 'Settings');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByLabel('Participant language').selectOption('de');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('The study is open. Pause it').waitFor();
    // The console itself stays English.
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // The pointer rests where Resume was, now the Pause button: its hover shade is not what the check is about.
    await page.mouse.move(0, 0);

    await expectAccessible(page, 'console: participant language set to German');
    await page.context().close();
  }, 120_000);

  it('an actor goes from the invitation to the completion code in German', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(asProlificOpens(study.actorLink, '5f0c1a2b3c4d5e6f7a8b9c01'));
    await consentInGerman(page);

    await page.getByRole('heading', { name: 'Sie spielen eine Person, die mit einem KI-Modell chattet' }).waitFor();
    await page.getByText('Bleiben Sie in Ihrer Rolle.').waitFor();
    await expectGerman(page, 'instructions (German)');
    await page.getByRole('button', { name: 'Übungsrunde starten' }).click();

    // The practice round: Sam's card, task and questions in German.
    await page.getByText(/Mein Brotrezept braucht 15 % mehr Mehl/).waitFor();
    for (const [i, text] of ['Nur das Ergebnis, bitte.', 'Dazu habe ich keine besondere Meinung.'].entries()) {
      await page.getByText('Sie sind dran').waitFor();
      await expectGerman(page, `practice question ${i + 1} (German)`);
      await reply(page, text);
    }
    await page.getByText('Übung abgeschlossen').waitFor();
    await expectGerman(page, 'practice done (German)');
    await shot(page, 'de-practice.png');
    await page.getByRole('button', { name: 'Die echte Aufgabe starten' }).click();
    await page.waitForURL(/\/play$/);

    // Live play: the model's (English) questions inside German page texts.
    await page.getByRole('heading', { name: 'Chat mit dem Modell' }).waitFor();
    const questions = page.getByRole('article', { name: /^Frage \d/ });
    for (let turn = 0; turn < 3; turn++) {
      await questions.nth(turn).waitFor({ timeout: 20_000 });
      await page.getByText(`Modell · Frage ${turn + 1} von 3`).waitFor();
      await expectGerman(page, `play: question ${turn + 1} (German)`);
      await reply(page, `Antwort ${turn + 1}.`);
    }
    await page.getByRole('button', { name: 'Antwort bewerten' }).waitFor({ timeout: 20_000 });
    await page.getByText('Modell · endgültige Antwort').waitFor();
    await expectGerman(page, 'play: final answer (German)');
    await shot(page, 'de-play.png');
    await page.getByRole('button', { name: 'Antwort bewerten' }).click();
    await page.waitForURL(/\/rate$/);

    await page.getByRole('heading', { name: /Bewerten Sie die endgültige Antwort als/ }).waitFor();
    await expectGerman(page, 'self-rating (German)');
    const criteria = await criterionCount(page);
    expect(criteria).toBeGreaterThan(0);
    await scoreWithKeyboard(
      page,
      Array.from({ length: criteria }, () => 4),
      null,
    );
    await page.getByText(`${criteria} von ${criteria} Kriterien bewertet`).waitFor();
    await page.getByRole('button', { name: 'Meine Bewertung absenden' }).click();
    await page.waitForURL(/\/done$/);
    await page.getByText('DONE123').waitFor();
    await page.getByText('Ihr Abschlusscode – geben Sie ihn auf Prolific ein, um vergütet zu werden:').waitFor();
    await expectGerman(page, 'done: actor (German)');
    await shot(page, 'de-done.png');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a rater rates both answers in German, answering correctness with J', async () => {
    await waitForCandidates(app.served.url, study, 2);
    const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(asProlificOpens(study.raterLink, '60aa1b2c3d4e5f6a7b8c9d01'));
    await consentInGerman(page);
    await page.getByRole('heading', { name: 'Sie bewerten Antworten von KI-Modellen' }).waitFor();
    await expectGerman(page, 'rater instructions (German)');
    await page.getByRole('button', { name: 'Mit dem Bewerten beginnen' }).click();
    await page.waitForURL(/\/rate$/);

    for (let item = 0; item < 2; item++) {
      await page.getByRole('heading', { name: 'Bewerten Sie diese Antwort für die Person, die gefragt hat' }).waitFor();
      await page.getByText('Ist die Antwort richtig?').waitFor();
      await expectGerman(page, `rater item ${item + 1} (German)`);
      await scoreWithKeyboard(
        page,
        Array.from({ length: await criterionCount(page) }, () => 3),
        'n',
      );
      // German's "ja" key answers yes.
      await page.locator('[data-scale="correctness"] input[type="radio"]:checked').focus();
      await page.keyboard.press('j');
      await expect(page.locator('[data-scale="correctness"] input:checked').inputValue()).resolves.toBe('1');
      if (item === 0) await shot(page, 'de-rater-item.png');
      await page.getByRole('button', { name: 'Absenden und weiter' }).click();
      await page
        .getByText(
          item === 0
            ? '1 bewertet · jetzt noch 1 weitere Antwort zu bewerten'
            : 'Im Moment keine Antworten zum Bewerten',
        )
        .waitFor();
      await expectGerman(page, item === 0 ? 'rater: next item (German)' : 'rater: waiting for work (German)');
    }
    await page.getByRole('button', { name: 'Jetzt prüfen' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
