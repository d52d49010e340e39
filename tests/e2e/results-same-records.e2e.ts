import { describe, expect, it } from 'vitest';
import { setupLinkOf } from '../support/serve-process.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedConsole } from './support/served-console.ts';
import { openStudy, openTab, shot } from './support/console-pages.ts';
import { createFirstAccount } from './support/researcher-forms.ts';

// A researcher runs the generic baseline on every record and discovery on the live study's two selected records
// only (the run form's checkbox); Results say the rows cover different records, and "Same records only" has the
// server compute every row over the two records they share (docs/metrics.md, "Same records only").

const app = servedConsole({ width: 1400, height: 900 });
const { shots, errors } = app;

/** Selects the study's first two records for live play, through the settings API from the signed-in page. */
async function selectTwoRecords(studyId: string): Promise<void> {
  const status = await app.page.evaluate(async (id) => {
    const records = (await (await fetch(`/api/studies/${id}/records?offset=0&limit=2`)).json()) as {
      items: { problemId: string }[];
    };
    const res = await fetch(`/api/studies/${id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: { kind: 'list', problemIds: records.items.map((r) => r.problemId) } }),
    });
    return res.status;
  }, studyId);
  expect(status).toBe(200);
}

async function startRun(conditions: string[], studySelection: boolean, episodes: number): Promise<void> {
  await openTab(app.page, 'Batch runs');
  const form = app.page.getByRole('form', { name: 'Start a batch run' });
  for (const name of ['Baseline', 'Oracle', 'Discovery'])
    await form.getByLabel(name, { exact: true }).setChecked(conditions.includes(name));
  await form.getByLabel('Only the live study’s selected records').setChecked(studySelection);
  if (studySelection) await form.getByText('The study settings select 2 records.').waitFor();
  await expectAccessible(app.page, `run form: ${conditions.join(', ')}`);
  await form.getByRole('button', { name: 'Start run' }).click();
  const progress = app.page.getByRole('region', { name: /^Run / });
  await progress.getByText(`${episodes} of ${episodes} episodes (100%)`).waitFor({ timeout: 60_000 });
  // The run list says which runs were limited, and to how many records.
  if (studySelection)
    await app.page.getByRole('cell', { name: /Discovery .*· live study’s selection \(2 records\)/ }).waitFor();
  await expectAccessible(app.page, `batch run finished: ${conditions.join(', ')}`);
}

describe('results over different records', () => {
  it('say so, and compute every row over the shared records when asked', async () => {
    await app.page.goto(await setupLinkOf(app.served));
    await createFirstAccount(app.page, { username: 'researcher', password: 'correct horse battery' });
    await app.page.getByText('Signed in as researcher').waitFor();
    await openStudy(app.page, 'Sample benchmark');
    const studyId = /\/studies\/([^/]+)/.exec(app.page.url())?.[1] ?? '';
    await selectTwoRecords(studyId);

    await startRun(['Baseline'], false, 64);
    await startRun(['Discovery'], true, 2);

    await openTab(app.page, 'Results');
    const table = app.page.getByRole('table', { name: 'Results by model, condition and user type' });
    const baseline = table.getByRole('row').filter({ hasText: 'Baseline (no_prompt)' });
    await baseline.getByRole('cell').nth(2).filter({ hasText: /^64$/ }).waitFor();
    await app.page
      .getByRole('status')
      .getByText('Rows cover different records — batch runs: 64; 64 records in all, 2 in common to every row.', {
        exact: false,
      })
      .waitFor();
    await expectAccessible(app.page, 'results over different records');
    await shot(app.page, shots, 'results-different-records');

    await app.page.getByLabel('Same records only').check();
    await app.page
      .getByRole('status')
      .getByText(/Same records only: every row is computed over the 2 records common to all rows \(of 64/)
      .waitFor();
    await baseline.getByRole('cell').nth(2).filter({ hasText: /^2$/ }).waitFor();
    await expectAccessible(app.page, 'results: same records only');
    await shot(app.page, shots, 'results-same-records');
    expect(errors).toEqual([]);
  }, 240_000);
});
