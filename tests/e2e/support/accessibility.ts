import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** What a browser test reports of one axe-core violation: enough to find the element without a screenshot. */
interface Finding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules plus best practices) on the page as it is now and fails on any serious or
 * critical violation, naming the state so a failure says where it happened. Every browser test calls this on each
 * page state it visits (issue 15: 0 serious, 0 critical). Moderate and minor findings are logged and returned.
 */
export async function expectAccessible(page: Page, state: string): Promise<Finding[]> {
  await settleAnimations(page);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const findings: Finding[] = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    // Emotion's class names say little: the element's opening HTML and axe's reason (e.g. the contrast ratio) do.
    targets: v.nodes.slice(0, 5).map((n) => `${n.html.slice(0, 160)} — ${oneLine(n.failureSummary ?? '')}`),
  }));
  const blocking = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  const rest = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
  // Moderate and minor findings do not fail the test, but a run lists them so they can be counted and fixed.
  for (const f of rest) console.info(`a11y ${f.impact} ${f.rule} on "${state}": ${f.targets.join(', ')}`);
  // Soft: the journey goes on, so one run reports every state with a violation, not only the first.
  expect.soft(blocking, `accessibility violations on "${state}" (${page.url()})`).toEqual([]);
  return rest;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').slice(0, 240);

/**
 * Waits (at most 2 s) for the page's finite animations and transitions to end: axe measures colours as they are at
 * that instant, and a chip fading in or a button's colour transition would report a contrast nobody sees for long.
 * Endless ones (spinners, the streaming dots) are left running.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document
      .getAnimations()
      .filter((a) => a.effect !== null && a.effect.getComputedTiming().iterations !== Infinity);
    await Promise.race([
      Promise.allSettled(finite.map((a) => a.finished)),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]);
  });
}
