import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { runCli } from '../support/run-cli.ts';
import { serveProcess } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();

describe('prefdisco serve (what npm start runs)', () => {
  it('on an empty database imports the sample, serves /api/health, and shuts down cleanly on SIGTERM', async () => {
    const env = {
      PREFDISCO_DB: join(dir, 'serve.sqlite'),
      PREFDISCO_LOG_LEVEL: 'info',
      PREFDISCO_ADMIN_USERNAME: 'admin',
      PREFDISCO_ADMIN_PASSWORD: 'a long enough password',
    };
    const served = await serveProcess(env);
    const url = served.url;
    const output = served.output();
    expect(output).toContain('imported the sample benchmark as study \\"Sample benchmark\\" (64 records)');
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    expect((await fetch(`${url}/api/studies`)).status).toBe(401);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const studies = (await (await fetch(`${url}/api/studies`, { headers: { cookie } })).json()) as {
      studies: { recordCount: number }[];
    };
    expect(studies.studies.map((s) => s.recordCount)).toEqual([64]);

    expect(await served.stop()).toBe(0);
  });

  it('an invalid persona file stops start-up, naming the file and the field', async () => {
    const personas = join(dir, 'personas');
    cpSync(join(PROJECT_ROOT, 'personas'), personas, { recursive: true });
    const file = join(personas, 'haugen_61c2c6e4.json');
    const persona = JSON.parse(readFileSync(file, 'utf8')) as { personality_big5: { openness: { score: number } } };
    persona.personality_big5.openness.score = 9;
    writeFileSync(file, JSON.stringify(persona));
    const r = await runCli(['serve'], {
      PREFDISCO_PORT: '0',
      PREFDISCO_DB: join(dir, 'bad.sqlite'),
      PREFDISCO_PERSONAS_DIR: personas,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('persona library is invalid');
    expect(r.stderr).toContain('haugen_61c2c6e4.json: $.personality_big5.openness.score');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a guessable PREFDISCO_ADMIN_PASSWORD stops start-up with the reason', async () => {
    const r = await runCli(['serve'], {
      PREFDISCO_PORT: '0',
      PREFDISCO_DB: join(dir, 'weak-admin.sqlite'),
      PREFDISCO_ADMIN_USERNAME: 'admin',
      PREFDISCO_ADMIN_PASSWORD: 'admin12345',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^prefdisco: cannot create the first researcher \(PREFDISCO_ADMIN_USERNAME\/PASSWORD\): the password is too easy to guess\./,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a damaged database file stops start-up with one line naming it and what to do', async () => {
    const file = join(dir, 'damaged.sqlite');
    writeFileSync(file, randomBytes(32_768));
    const r = await runCli(['serve'], { PREFDISCO_PORT: '0', PREFDISCO_DB: file });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `prefdisco: the database ${file} is damaged or is not a database: restore it from a backup (with its -wal file), or move it away to start with an empty one\n`,
    );
  });

  it('a database path the system will not write to stops start-up with one line about permissions', async () => {
    const r = await runCli(['serve'], { PREFDISCO_PORT: '0', PREFDISCO_DB: '/sys/prefdisco-test/prefdisco.sqlite' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^prefdisco: the database \/sys\/prefdisco-test\/prefdisco\.sqlite or its folder cannot be written \(E[A-Z]+\): give the user running PrefDisco write permission on both, .+\n$/,
    );
  });

  it('a bad configuration value is named', async () => {
    const r = await runCli(['serve'], { PREFDISCO_PORT: 'eighty', PREFDISCO_DB: join(dir, 'cfg.sqlite') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PREFDISCO_PORT');
  });
});
