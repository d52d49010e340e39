import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setupLinkOf } from '../support/serve-process.ts';
import { writeSmallBenchmark } from './support/benchmark-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedConsole } from './support/served-console.ts';
import { openTab, shot } from './support/console-pages.ts';
import { createFirstAccount } from './support/researcher-forms.ts';

// A researcher makes an empty study in the browser, imports two records into it, picks one of them for play from the
// searchable problem-id list, and a save with an emptied quota puts the cursor on that field with its error.

const app = servedConsole({ width: 1280, height: 900 });
const { dir, shots, errors } = app;

/** What the focused control is called and what its description (the field's error or help) says. */
async function focused(): Promise<{ label: string | null; description: string | null }> {
  return app.page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    const describedBy = el?.getAttribute('aria-describedby')?.split(' ')[0];
    return {
      label: el?.labels?.[0]?.textContent?.replace(/\s*\*$/, '') ?? null,
      description: describedBy ? (document.getElementById(describedBy)?.textContent ?? null) : null,
    };
  });
}

describe('a study made in the browser', () => {
  it('is created empty, takes an import, and its settings pick ids from a search and focus the first error', async () => {
    await app.page.goto(await setupLinkOf(app.served));
    await createFirstAccount(app.page, { username: 'researcher', password: 'correct horse battery' });
    await app.page.getByText('Signed in as researcher').waitFor();

    await app.page.getByRole('button', { name: 'New study…' }).click();
    const create = app.page.getByRole('dialog', { name: 'New study' });
    await create.waitFor();
    await expectAccessible(app.page, 'new study dialog');
    await create.getByLabel(/^Name/).fill('Sample benchmark');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.getByText('a study named "Sample benchmark" already exists').waitFor();
    await expectAccessible(app.page, 'new study dialog: name taken');
    await create.getByLabel(/^Name/).fill('Pilot from the browser');
    await create.getByLabel('Description (optional)').fill('Two records, picked by hand.');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.getByText('Study “Pilot from the browser” created').waitFor();
    await expectAccessible(app.page, 'new study dialog: created');
    await shot(app.page, shots, 'new-study-created', false);
    await create.getByRole('button', { name: 'Import records…' }).click();

    const upload = app.page.getByRole('dialog', { name: 'Import a benchmark file' });
    expect(await upload.getByRole('combobox', { name: 'Study' }).inputValue()).toBe('Pilot from the browser');
    const file = writeSmallBenchmark(dir);
    const [first, second] = readFileSync(file, 'utf8')
      .split('\n')
      .slice(1, 3)
      .map((line) => (JSON.parse(line) as { problem_id: string }).problem_id);
    await upload.getByLabel('Benchmark file').setInputFiles(file);
    await upload.getByRole('button', { name: 'Import', exact: true }).click();
    await upload.getByText(/Imported 2 records into “Pilot from the browser”/).waitFor();
    await expectAccessible(app.page, 'import dialog: imported into the new study');
    await upload.getByRole('button', { name: 'Open the study' }).click();
    await app.page.getByRole('heading', { level: 1, name: 'Pilot from the browser' }).waitFor();

    await openTab(app.page, 'Settings');
    const models = app.page.getByRole('combobox', { name: 'Models under test' });
    await models.fill('scripted');
    await models.press('Enter');
    await app.page.getByRole('radio', { name: 'Only these problem ids' }).check();
    const picker = app.page.getByRole('combobox', { name: 'Problem ids' });
    await picker.fill(second?.slice(-8).toUpperCase() ?? '');
    // The search runs on the server once typing pauses; until then the previous options stay.
    // The picker's own list (the form has other options, e.g. the participant language's).
    await expect.poll(() => app.page.getByRole('listbox').getByRole('option').allInnerTexts()).toEqual([second]);
    await expectAccessible(app.page, 'settings: problem id search open');
    await app.page.getByRole('option', { name: second }).click();
    await app.page.keyboard.press('Escape');
    await app.page.getByRole('button', { name: second }).waitFor();
    expect(first).not.toEqual(second);
    // Several ids at once (as typed or pasted: spaces, commas or lines) are all added, without duplicates.
    await picker.fill(`${first ?? ''}, ${second ?? ''}`);
    await app.page.getByRole('button', { name: first }).waitFor();
    await app.page.getByText(/^2 chosen\./).waitFor();
    await expectAccessible(app.page, 'settings: two ids chosen');

    await app.page.getByLabel('Plays per actor').fill('');
    await app.page.getByLabel('Idle warning (seconds)').fill('100000');
    await app.page.getByRole('button', { name: 'Save settings' }).click();
    await app.page.getByText('Not saved: 2 fields need attention. The first (now focused): Enter a number.').waitFor();
    await expect.poll(focused).toEqual({ label: 'Plays per actor', description: 'Enter a number' });
    await expectAccessible(app.page, 'settings: save refused, first error focused');
    await shot(app.page, shots, 'settings-focus-first-error', false);

    await app.page.getByLabel('Plays per actor').fill('3');
    await app.page.getByLabel('Idle warning (seconds)').fill('60');
    await app.page.getByRole('button', { name: 'Save settings' }).click();
    await app.page.getByText('Settings saved.').waitFor();
    await app.page.reload();
    await app.page.getByRole('button', { name: first }).waitFor();
    await app.page.getByRole('button', { name: second }).waitFor();
    expect(await app.page.getByRole('radio', { name: 'Only these problem ids' }).isChecked()).toBe(true);
    await expectAccessible(app.page, 'settings: saved and reloaded');
    expect(errors).toEqual([]);
  }, 180_000);
});
