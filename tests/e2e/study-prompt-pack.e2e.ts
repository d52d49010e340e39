import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupLinkOf } from '../support/serve-process.ts';
import { expectAccessible } from './support/accessibility.ts';
import { openStudy, openTab, shot } from './support/console-pages.ts';
import { createFirstAccount } from './support/researcher-forms.ts';
import { servedConsole } from './support/served-console.ts';

// A researcher picks a prompt pack for the sample study's live episodes from the packs the server's prompts folder
// holds; a pack broken on the server between listing and saving is refused at the field with the file it names.

const app = servedConsole({ width: 1280, height: 900 }, (dir) => ({ PREFDISCO_PROMPTS_DIR: join(dir, 'prompts') }));
const { shots, errors } = app;

function pack(folder: string, manifest: unknown, files: Record<string, string>): string {
  const path = join(app.dir, 'prompts', folder);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'prompts.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

describe('a prompt pack chosen in the study settings', () => {
  it('lists the server packs, saves the chosen one, and shows a pack refused on save at its field', async () => {
    const good = pack(
      'live-pack',
      { name: 'live-pack-v1', prompts: { 'discovery-system': { file: 'discovery.txt', placeholders: [] } } },
      { 'discovery.txt': 'PACK DISCOVERY: ask one question at a time.' },
    );
    pack('broken-pack', { name: 'broken', prompts: { 'final-prompt': { file: 'missing.txt', placeholders: [] } } }, {});

    await app.page.goto(await setupLinkOf(app.served));
    await createFirstAccount(app.page, { username: 'researcher', password: 'correct horse battery' });
    await app.page.getByText('Signed in as researcher').waitFor();
    await openStudy(app.page, 'Sample benchmark');
    await openTab(app.page, 'Settings');

    const field = app.page.getByRole('combobox', { name: /^Prompts/ });
    await field.click();
    const options = app.page.getByRole('listbox').getByRole('option');
    await expect
      .poll(() => options.allInnerTexts())
      .toEqual([
        'Built-in prompts',
        'broken-pack (cannot be used: broken-pack/missing.txt: cannot be read (role final-prompt))',
        expect.stringMatching(/^live-pack-v1 \(folder live-pack, sha256 [0-9a-f]{12}…\)$/),
      ]);
    expect(await options.nth(1).getAttribute('aria-disabled')).toBe('true');
    await expectAccessible(app.page, 'settings: prompt packs listed');
    await shot(app.page, shots, 'settings-prompt-packs', false);
    await options.nth(2).click();
    await app.page.getByText(/^Replaces 1 role \(discovery-system\); the others stay built-in/).waitFor();
    await expectAccessible(app.page, 'settings: prompt pack chosen');

    // The pack breaks on the server before the save: the server refuses it and the field says which file.
    renameSync(join(good, 'prompts.json'), join(good, 'prompts.off'));
    await app.page.getByRole('button', { name: 'Save settings' }).click();
    await app.page.getByText('live-pack/prompts.json: cannot be read').first().waitFor();
    await expectAccessible(app.page, 'settings: prompt pack refused on save');

    renameSync(join(good, 'prompts.off'), join(good, 'prompts.json'));
    await app.page.getByRole('button', { name: 'Save settings' }).click();
    await app.page.getByText('Settings saved.').waitFor();
    await app.page.reload();
    await expect.poll(() => field.innerText()).toMatch(/^live-pack-v1 \(folder live-pack/);
    await expectAccessible(app.page, 'settings: prompt pack saved and reloaded');
    expect(errors).toEqual([]);
  }, 180_000);
});
