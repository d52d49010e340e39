import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLeftoverUploads } from '../../server/services/research/upload-temp.ts';
import { importUpload } from '../../server/services/research/import-upload.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { serveProcess } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';
import { PassThrough } from 'node:stream';

const dir = tempDir();
const ADMIN = { username: 'admin', password: 'a long enough password' };

function uploadFolders(root: string): string[] {
  return readdirSync(root)
    .filter((name) => name.startsWith('prefdisco-import-'))
    .sort();
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('uploads a killed process left in the temp folder', () => {
  it('are removed at the next start-up, with a log line; other folders stay', async () => {
    const root = join(dir, 'tmp');
    mkdirSync(root);
    const env = {
      TMPDIR: root,
      PREFDISCO_DB: join(dir, 'serve.sqlite'),
      PREFDISCO_ADMIN_USERNAME: ADMIN.username,
      PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
    };
    const first = await serveProcess(env);
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // An upload that is still arriving when the server is killed.
    const upload = request(`${first.url}/api/studies/import?study=Killed&skipImages=1`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-ndjson', 'content-length': String(10 * 1024 * 1024) },
    });
    upload.on('error', () => undefined);
    upload.write(`${'{"type":"metadata"}\n'.repeat(20_000)}`);
    await until('the upload on disk', () =>
      uploadFolders(root).some((name) => {
        const file = join(root, name, 'upload.jsonl');
        try {
          return statSync(file).size > 0;
        } catch {
          return false;
        }
      }),
    );
    expect(await first.stop('SIGKILL')).toBeNull();
    upload.destroy();
    const killed = uploadFolders(root);
    expect(killed).toHaveLength(1);

    // Beside it: a folder of an older version (no pid), one of a process still running (this test's), and another
    // program's folder.
    const running = `prefdisco-import-${process.pid}-Xy12Zq`;
    for (const name of ['prefdisco-import-Ab12Cd', running, 'other-program-folder']) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'upload.jsonl'), '{}\n');
    }

    const second = await serveProcess(env);
    try {
      expect(second.output()).toContain(`removed 2 unfinished upload folder(s) left in ${root} by earlier runs`);
      expect(uploadFolders(root)).toEqual([running]);
      expect(readdirSync(root)).toContain('other-program-folder');
    } finally {
      await second.stop();
    }
  });

  it('an upload in progress in this process is never removed', async () => {
    const root = join(dir, 'tmp-in-process');
    mkdirSync(root);
    const storage = SqliteStorage.open({ file: join(dir, 'in-process.sqlite') });
    try {
      const body = new PassThrough();
      const done = importUpload(storage, body, { study: 'Slow', skipImages: true, tempRoot: root });
      body.write('{"type":"metadata"}\n');
      await until('the upload folder', () => uploadFolders(root).length === 1);
      const ours = uploadFolders(root)[0] ?? '';
      expect(ours).toMatch(new RegExp(`^prefdisco-import-${process.pid}-`));
      // A folder of ours that no upload uses: a previous process that had the same pid (a restarted container).
      mkdirSync(join(root, `prefdisco-import-${process.pid}-Old123`));
      expect(await removeLeftoverUploads(root)).toBe(1);
      expect(uploadFolders(root)).toEqual([ours]);
      body.end();
      await expect(done).resolves.toMatchObject({ kind: 'invalid' });
      expect(uploadFolders(root)).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
