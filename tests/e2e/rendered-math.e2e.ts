import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type ChatRequestBody } from '../support/fake-openai-server.ts';
import { tempDir } from '../support/temp-files.ts';
import { e2eSettings } from '../support/test-env.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { openStudy, openTab } from './support/console-pages.ts';
import { asProlificOpens, setUpLiveStudy, waitForCandidates, type OpenedStudy } from './support/live-study-setup.ts';
import { acceptConsent } from './support/participant-steps.ts';

// Model and benchmark text is rendered as Markdown with math (issue 15, item 1): the sample's MATH, AIME and MaScQA
// records in the console, a task and a streamed answer with math in an actor's chat on a phone, and a rater's item.
// Screenshots land in the test's directory (E2E_SCREENSHOT_DIR keeps them) to be looked at.

const dir = tempDir();
const { screenshotDir: shots } = e2eSettings(dir);
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'math-mut-4c1';
const app = servedWithModel({ dir, model: MODEL, database: 'math.sqlite', admin, respond: mathModel });
let study: OpenedStudy;

// The first question streams slowly, in four paragraphs (the second and third with math), so the test can watch the
// paragraphs already complete while later ones arrive.
const FIRST_QUESTION = [
  'Before I work this out, here is how I would set it up, so you can tell me what suits you.',
  'The hexagon has side $6$, and its centre $O$ splits it into six equilateral triangles, so $OA = OC = OE = 6$ and \\(\\angle AOC = 120^\\circ\\).',
  'Each of the triangles $AOC$, $COE$ and $EOA$ then has area\n\\[\n\\frac{1}{2} \\cdot 6 \\cdot 6 \\cdot \\sin 120^\\circ = 9\\sqrt{3}.\n\\]',
  'Would a picture described in words help you more, or the calculation step by step? Tell me and I will go on from there.',
].join('\n\n');
const LATER_QUESTION = 'Is there something from your own work I could connect this shape to?';
const FINAL_ANSWER = [
  '**Answer:** the area of triangle $ACE$ is $\\boxed{27\\sqrt{3}}$.',
  'Joining the centre to the corners gives three triangles of area $\\frac{1}{2} \\cdot 6^2 \\cdot \\sin 120^\\circ = 9\\sqrt{3}$ each, so',
  '$$\n3 \\cdot 9\\sqrt{3} = 27\\sqrt{3} \\approx 46.77 \\quad\\text{square units, which is exactly half of the hexagon } \\tfrac{3\\sqrt{3}}{2} \\cdot 6^2 = 54\\sqrt{3}\n$$',
  '| part | area |\n|---|---|\n| one triangle | $9\\sqrt{3}$ |\n| triangle $ACE$ | $27\\sqrt{3}$ |',
  'A frame of comb costs $5 and a box $10: prices stay plain text.',
  // One inline formula KaTeX cannot break, wider than a phone: its paragraph scrolls, the page does not.
  `In one line: $\\frac{${Array.from({ length: 30 }, (_, i) => `x_{${i + 1}}`).join('')}}{2}$ is wide.`,
].join('\n\n');

const protocol = (action: string, text: string): string => `###ACTION###: '${action}'\n###RESPONSE###: ${text}`;
const contentOf = (content: unknown): string => (typeof content === 'string' ? content : JSON.stringify(content));

function mathModel(body: ChatRequestBody) {
  const asked = body.messages.filter((m) => m.role === 'assistant').length;
  const last = contentOf(body.messages[body.messages.length - 1]?.content);
  if (/final answer/i.test(last))
    return { kind: 'text' as const, text: protocol('final_answer', FINAL_ANSWER), chunks: 12, chunkDelayMs: 40 };
  if (asked === 0)
    return { kind: 'text' as const, text: protocol('ask_question', FIRST_QUESTION), chunks: 100, chunkDelayMs: 100 };
  return { kind: 'text' as const, text: protocol('ask_question', LATER_QUESTION), chunks: 3, chunkDelayMs: 20 };
}

const shot = (page: Page, name: string, fullPage = false): Promise<Buffer> =>
  page.screenshot({ path: join(shots, name), animations: 'disabled', fullPage });

/** What a reader sees of an element: its text without KaTeX's MathML copy (which keeps the TeX for screen readers). */
const visibleText = (locator: Locator): Promise<string> =>
  locator.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
    return copy.textContent ?? '';
  });

/** Rendered math, and no TeX source or dollar delimiter left in what the reader sees. */
async function expectRenderedMath(locator: Locator, minFormulas: number): Promise<string> {
  await locator.locator('.katex').first().waitFor();
  expect(await locator.locator('.katex').count()).toBeGreaterThanOrEqual(minFormulas);
  const text = await visibleText(locator);
  expect(text).not.toMatch(/\\(frac|sqrt|boxed|angle|cdot|le)\b/);
  expect(text).not.toMatch(/\$[^ 0-9]|\\\(|\\\[/);
  expect(await locator.locator('.katex-error').count()).toBe(0);
  return text;
}

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('model and benchmark text is rendered as Markdown with math in every view', () => {
  it('the console shows the sample’s MATH, AIME and MaScQA records with rendered math', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    study = await setUpLiveStudy(page, app.served.url, admin, MODEL);
    await openStudy(page, 'Sample benchmark');
    await openTab(page, 'Records');
    await page.getByText(/of 64/).first().waitFor();
    await page.getByRole('combobox', { name: /Rows per page/ }).click();
    await page.getByRole('option', { name: '100' }).click();
    await page.locator('tbody tr').nth(60).waitFor();

    const drawer = page.getByRole('dialog');
    const problem = drawer.getByRole('region', { name: 'Problem' });
    // MATH: the task, the gold answer (bare LaTeX in the record) and the reference solution.
    await page.getByRole('button', { name: 'Open record problem_0_okafor_3b09eb59' }).click();
    await problem.getByText(/regular hexagon/).waitFor();
    await problem.getByRole('button', { name: 'Show reference solution' }).click();
    const math = await expectRenderedMath(problem, 10);
    expect(math).toContain('27');
    expect(await problem.locator('.katex .sqrt').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'console: MATH record with rendered math');
    await shot(page, 'record-math.png');
    await page.getByRole('button', { name: 'Close record details' }).click();

    // AIME: "$n \le 1000$ such that … $91$" is three formulas, never one run of text in a formula.
    await page.getByRole('button', { name: 'Open record problem_2_lindqvist_63e400ae' }).click();
    await problem.getByText(/such that/).waitFor();
    const aime = await expectRenderedMath(problem, 3);
    expect(aime).toMatch(/such that .* is divisible by/);
    expect(await problem.locator('.katex').filter({ hasText: 'such' }).count()).toBe(0);
    await expectAccessible(page, 'console: AIME record with rendered math');
    await shot(page, 'record-aime.png');
    await page.getByRole('button', { name: 'Close record details' }).click();

    // MaScQA writes powers without delimiters: plain text, left as written.
    await page.getByRole('button', { name: 'Open record problem_14_menon_cf0a445d' }).click();
    await problem.getByText(/face-centred cubic/).waitFor();
    expect(await visibleText(problem)).toContain('6.022 × 10^23 mol^-1');
    expect(await problem.locator('.katex-error').count()).toBe(0);
    await expectAccessible(page, 'console: MaScQA record');
    await shot(page, 'record-mascqa.png');
    await page.getByRole('button', { name: 'Close record details' }).click();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('an actor on a phone reads the task and the streamed answer as math; complete paragraphs never re-render', async () => {
    const context = await app.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(asProlificOpens(study.actorLink, '5e0c1a2b3c4d5e6f7a8b9c0d'));
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Try a practice round' }).click();
    await page.getByRole('button', { name: 'Go to the real task' }).click();
    await page.waitForURL(/\/play$/);

    const task = page.getByRole('article', { name: 'The task' });
    await expectRenderedMath(task, 3);

    // The first question streams in four paragraphs. Once the third has begun, the first two are complete: from
    // then until the fourth arrives, their DOM nodes must stay the same nodes, untouched, while the stream goes on.
    const writing = page.getByRole('article', { name: 'The model is writing' });
    await writing.locator('[data-block="2"]').waitFor({ timeout: 30_000 });
    const watched = await writing.evaluate(async (article) => {
      const first = article.querySelector('[data-block="0"]');
      const second = article.querySelector('[data-block="1"]');
      const counts = { complete: 0, growing: 0 };
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          if (first?.contains(r.target) || second?.contains(r.target)) counts.complete++;
          else counts.growing++;
        }
      });
      observer.observe(article, { subtree: true, childList: true, characterData: true, attributes: true });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (article.querySelector('[data-block="3"]') || !article.isConnected) {
            clearInterval(poll);
            resolve();
          }
        }, 20);
      });
      observer.disconnect();
      return {
        ...counts,
        reachedFourth: article.querySelector('[data-block="3"]') !== null,
        sameNodes:
          article.querySelector('[data-block="0"]') === first && article.querySelector('[data-block="1"]') === second,
        formulasInSecond: second?.querySelectorAll('.katex').length ?? 0,
      };
    });
    console.info(`streaming: ${JSON.stringify(watched)}`);
    expect(watched.reachedFourth).toBe(true);
    expect(watched.sameNodes).toBe(true);
    expect(watched.complete).toBe(0);
    expect(watched.growing).toBeGreaterThan(0);
    expect(watched.formulasInSecond).toBe(4);
    if (await writing.count()) {
      await expectAccessible(page, 'play: a question with math streaming on a phone');
      await shot(page, 'play-streaming-phone.png');
    }

    const first = page.getByRole('article', { name: /^Question 1/ });
    await first.waitFor({ timeout: 20_000 });
    await expectRenderedMath(first, 5);
    expect(await first.locator('.katex-display').count()).toBe(1);
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'play: a question with math on a phone');
    await shot(page, 'play-question-phone.png');

    for (const text of ['A picture first, please.', 'Not really.', 'Bees.']) {
      const box = page.getByLabel('Your reply');
      await box.fill(text);
      // Counted before the reply goes: the next question streams in 60 ms and may be whole before a count after it.
      const asked = await page.getByRole('article', { name: /^Question \d/ }).count();
      await box.press('Enter');
      const answered = page.getByRole('button', { name: 'Rate the answer' });
      await Promise.race([
        page
          .getByRole('article', { name: /^Question \d/ })
          .nth(asked)
          .waitFor({ timeout: 20_000 }),
        answered.waitFor({ timeout: 20_000 }),
      ]);
      if (await answered.count()) break;
    }
    const answer = page.getByRole('article', { name: 'Final answer' });
    await answer.waitFor({ timeout: 20_000 });
    const answerText = await expectRenderedMath(answer, 6);
    expect(answerText).toContain('costs $5 and a box $10');
    // Display math and the table scroll inside the answer; the page itself never scrolls sideways.
    expect(await answer.locator('.katex-display').count()).toBe(1);
    expect(await answer.locator('.rt-table table').count()).toBe(1);
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    // The screen-reader announcement of the answer carries its math as MathML, not as TeX source.
    const announcer = page.locator('[aria-live="polite"][aria-atomic]').filter({ hasText: 'final answer' });
    expect(await announcer.locator('.katex-mathml math').count()).toBeGreaterThanOrEqual(6);
    const heard = await announcer.evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[aria-hidden="true"], annotation').forEach((n) => n.remove());
      return copy.textContent ?? '';
    });
    expect(heard).toContain('The model gave its final answer:');
    expect(heard).not.toMatch(/\\(frac|sqrt|boxed|cdot)\b|\$[^ 0-9]/);
    await expectAccessible(page, 'play: final answer with math on a phone');
    await answer.scrollIntoViewIfNeeded();
    await shot(page, 'play-final-answer-phone.png');

    await page.getByRole('button', { name: 'Rate the answer' }).click();
    await page.waitForURL(/\/rate$/);
    const card = page.getByRole('region', { name: 'The model’s final answer' });
    await expectRenderedMath(card, 6);
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'self-rating: the answer with math on a phone');
    await shot(page, 'self-rating-phone.png', true);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('a rater reads the task, the answer and the correct answer as math', async () => {
    await waitForCandidates(app.served.url, study, 1);
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(asProlificOpens(study.raterLink, '61aa1b2c3d4e5f6a7b8c9d0e'));
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Start rating' }).click();
    await page.waitForURL(/\/rate$/);
    const task = page.getByRole('region', { name: 'The task' });
    await expectRenderedMath(task, 3);
    // The live answer or its simulated twin comes first; either way the answer is drawn by the same renderer.
    const answer = page.getByRole('region', { name: 'The answer' });
    await answer.waitFor();
    expect(await answer.locator('.rich-text').count()).toBe(1);
    // MATH's gold answer is bare LaTeX (27\sqrt{3}): shown as math beside the correctness question.
    const correctness = page.locator('[data-scale="correctness"]');
    await correctness.scrollIntoViewIfNeeded();
    await expectRenderedMath(correctness, 1);
    await expectAccessible(page, 'rater item with math');
    await shot(page, 'rater-item.png', true);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
