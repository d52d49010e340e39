import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { verifyPassword } from '../../server/services/auth/password-hash.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { BIN, runCli, type CliResult } from '../support/run-cli.ts';
import { serveProcess } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();

/** The real bin with `input` piped to stdin, as in `echo PASSWORD | prefdisco admin create …`. */
function runWithStdin(args: string[], input: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { PREFDISCO_ADMIN_PASSWORD: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function storedHash(db: string, username: string): Promise<string | null> {
  const storage = SqliteStorage.open({ file: db });
  try {
    return (await storage.people.findResearcherByUsername(username))?.passwordHash ?? null;
  } finally {
    await storage.close();
  }
}

describe('prefdisco admin create', () => {
  it('creates a researcher with the password from PREFDISCO_ADMIN_PASSWORD', async () => {
    const db = join(dir, 'env.sqlite');
    const result = await runCli(['admin', 'create', '--username', 'alice', '--db', db], {
      PREFDISCO_ADMIN_PASSWORD: 'env-password-1',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('created researcher "alice"');
    expect(result.stdout).not.toContain('env-password-1');
    expect(await verifyPassword('env-password-1', (await storedHash(db, 'alice')) ?? '')).toBe(true);

    const again = await runCli(['admin', 'create', '--username', 'ALICE', '--db', db], {
      PREFDISCO_ADMIN_PASSWORD: 'env-password-2',
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('taken');
  });

  it('reads the password from the first line of stdin', async () => {
    const db = join(dir, 'stdin.sqlite');
    const result = await runWithStdin(
      ['admin', 'create', '--username', 'bob', '--db', db],
      'piped-password-1\nignored\n',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await verifyPassword('piped-password-1', (await storedHash(db, 'bob')) ?? '')).toBe(true);
  });

  it('refuses a short or guessable password, a missing password and a missing --username', async () => {
    const db = join(dir, 'bad.sqlite');
    const short = await runWithStdin(['admin', 'create', '--username', 'carol', '--db', db], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 10 characters');
    const guessable = await runWithStdin(['admin', 'create', '--username', 'carol', '--db', db], 'carol12345\n');
    expect(guessable.code).toBe(1);
    expect(guessable.stderr).toMatch(
      /^prefdisco: the password is too easy to guess\. There should not be any personal/,
    );
    const none = await runWithStdin(['admin', 'create', '--username', 'carol', '--db', db], '');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no password given');
    expect(await storedHash(db, 'carol')).toBeNull();
    const usage = await runWithStdin(['admin', 'create', '--db', db], 'long-enough-password\n');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--username');
  });
});

describe('serve creates the first researcher from configuration', () => {
  it('on a database without researchers, PREFDISCO_ADMIN_USERNAME/PASSWORD can sign in', async () => {
    const db = join(dir, 'serve.sqlite');
    const served = await serveProcess({
      PREFDISCO_DB: db,
      PREFDISCO_SEED_SAMPLE: 'false',
      PREFDISCO_ADMIN_USERNAME: 'admin',
      PREFDISCO_ADMIN_PASSWORD: 'serve-password-1',
    });
    try {
      const login = (password: string) =>
        fetch(`${served.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        });
      const ok = await login('serve-password-1');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('set-cookie')).toMatch(/^pd_session=.+HttpOnly/);
      expect((await login('wrong-password-1')).status).toBe(401);
      expect(served.output()).toMatch(/created the first researcher account \\"admin\\"/);
      expect(served.output()).not.toContain('serve-password-1');
    } finally {
      await served.stop();
    }
  });
});
