import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { createResearcher } from '../../server/services/auth/accounts.ts';
import { applyMigrations, readMigrations } from '../../server/storage/sqlite/migrate.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { runCli } from '../support/run-cli.ts';
import { studyWithRecords } from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Who owns a study: the upgrade that introduced roles, the creator, the first account, and `prefdisco import`. */

const dir = tempDir();
const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');
const PASSWORD = 'a long enough test password 42';

async function rolesIn(file: string, studyName: string): Promise<Record<string, string>> {
  const storage = SqliteStorage.open({ file });
  try {
    const study = await storage.findStudyByName(studyName);
    if (!study) return {};
    const members = await storage.access.listMembers(study.id);
    return Object.fromEntries(members.map((m) => [m.username, m.role]));
  } finally {
    await storage.close();
  }
}

describe('upgrading a database made before roles (migration 017)', () => {
  it('makes every researcher that existed owner of every study that existed, added by nobody', async () => {
    const file = join(dir, 'upgrade.sqlite');
    const db = new Database(file);
    applyMigrations(db, readMigrations().slice(0, 16));
    const at = '2026-01-01T00:00:00.000Z';
    for (const [id, name] of [
      ['s1', 'Study one'],
      ['s2', 'Study two'],
    ])
      db.prepare('INSERT INTO studies (id, name, description, created_at) VALUES (?, ?, ?, ?)').run(id, name, '', at);
    for (const [id, username] of [
      ['r1', 'alice'],
      ['r2', 'bob'],
    ])
      db.prepare('INSERT INTO researchers (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
        id,
        username,
        'x',
        at,
      );
    db.close();

    const storage = SqliteStorage.open({ file });
    try {
      for (const studyId of ['s1', 's2']) {
        const members = await storage.access.listMembers(studyId);
        expect(members.map((m) => [m.username, m.role, m.addedBy])).toEqual([
          ['alice', 'owner', null],
          ['bob', 'owner', null],
        ]);
      }
      expect((await storage.access.listAudit('s1', { offset: 0, limit: 10 })).total).toBe(0);
    } finally {
      await storage.close();
    }
  });
});

describe('who owns a new study', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dir);
  });
  afterAll(async () => {
    await t.close();
  });

  it('the first account owns the studies nobody owned (the sample); a later account owns none of them', async () => {
    const sample = (await t.storage.listStudies())[0]?.id ?? '';
    expect(await t.storage.access.listMembers(sample)).toEqual([]);
    const first = await signInResearcher(t);
    const second = await signInResearcher(t);
    expect(await t.storage.access.roleOf(sample, first.researcherId)).toBe('owner');
    expect(await t.storage.access.roleOf(sample, second.researcherId)).toBeNull();
    // A study made through storage later (no creator) is not given to anyone by a third account either.
    const later = (await studyWithRecords(t.storage, 'Made later', 1)).studyId;
    const third = await createResearcher(t.storage, 'third-account', PASSWORD);
    expect(await t.storage.access.roleOf(later, third.id)).toBeNull();
  });

  it('a study created or imported over HTTP is owned by its creator, and listed for them alone', async () => {
    const creator = await signInResearcher(t);
    const bystander = await signInResearcher(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/studies',
      headers: { cookie: creator.cookie },
      payload: { name: 'Created over HTTP' },
    });
    expect(created.statusCode).toBe(201);
    const createdId = (created.json() as { study: { id: string } }).study.id;
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/studies/import?study=Imported%20over%20HTTP&filename=sample.jsonl',
      headers: { cookie: creator.cookie, 'content-type': 'application/x-ndjson' },
      payload: await import('node:fs/promises').then((fs) => fs.readFile(SAMPLE)),
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const importedId = (imported.json() as { outcome: { studyId: string } }).outcome.studyId;

    const list = async (cookie: string) =>
      (
        (await t.app.inject({ method: 'GET', url: '/api/studies', headers: { cookie } })).json() as {
          studies: { id: string; myRole: string }[];
        }
      ).studies;
    expect((await list(creator.cookie)).map((s) => [s.id, s.myRole])).toEqual([
      [createdId, 'owner'],
      [importedId, 'owner'],
    ]);
    expect(await list(bystander.cookie)).toEqual([]);
    // Importing into someone else's study: the bystander is told it does not exist, and nothing is stored.
    const into = await t.app.inject({
      method: 'POST',
      url: '/api/studies/import?study=Imported%20over%20HTTP',
      headers: { cookie: bystander.cookie, 'content-type': 'application/x-ndjson' },
      payload: '{}\n',
    });
    expect(into.statusCode).toBe(404);
    expect(into.json()).toMatchObject({ error: 'not_found', message: 'no such study' });
  });
});

describe('prefdisco import and prefdisco studies share', () => {
  it('without accounts the study waits for the first; with one it is theirs; with several --owner is needed', async () => {
    const db = join(dir, 'cli.sqlite');
    const waits = await runCli(['import', SAMPLE, '--study', 'Waits', '--db', db]);
    expect(waits.code, waits.stderr).toBe(0);
    expect(await rolesIn(db, 'Waits')).toEqual({});

    const admin = await runCli(['admin', 'create', '--username', 'first', '--db', db], {
      PREFDISCO_ADMIN_PASSWORD: PASSWORD,
    });
    expect(admin.code, admin.stderr).toBe(0);
    expect(await rolesIn(db, 'Waits')).toEqual({ first: 'owner' });

    const only = await runCli(['import', SAMPLE, '--study', 'Only one account', '--db', db]);
    expect(only.code, only.stderr).toBe(0);
    expect(await rolesIn(db, 'Only one account')).toEqual({ first: 'owner' });

    const second = await runCli(['admin', 'create', '--username', 'second', '--db', db], {
      PREFDISCO_ADMIN_PASSWORD: PASSWORD,
    });
    expect(second.code, second.stderr).toBe(0);
    expect(await rolesIn(db, 'Waits')).toEqual({ first: 'owner' });

    const refused = await runCli(['import', SAMPLE, '--study', 'Several accounts', '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe(
      'prefdisco: import needs --owner USERNAME: several researcher accounts exist; name the one who owns the new study',
    );
    expect(await rolesIn(db, 'Several accounts')).toEqual({});
    const storage = SqliteStorage.open({ file: db });
    expect(await storage.findStudyByName('Several accounts')).toBeNull();
    await storage.close();

    const named = await runCli(['import', SAMPLE, '--study', 'Several accounts', '--owner', 'second', '--db', db]);
    expect(named.code, named.stderr).toBe(0);
    expect(await rolesIn(db, 'Several accounts')).toEqual({ second: 'owner' });

    const unknown = await runCli(['import', SAMPLE, '--study', 'Nobody', '--owner', 'nobody-here', '--db', db]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no researcher account is named "nobody-here"');

    // Recovery when an owner is lost: the CLI gives a role, changes one, and refuses to demote the last owner.
    const share = await runCli([
      'studies',
      'share',
      '--study',
      'Several accounts',
      '--username',
      'first',
      '--role',
      'owner',
      '--db',
      db,
    ]);
    expect(share.code, share.stderr).toBe(0);
    expect(share.stdout).toContain('"first" is now owner of study "Several accounts"');
    const demote = await runCli([
      'studies',
      'share',
      '--study',
      'Several accounts',
      '--username',
      'second',
      '--role',
      'viewer',
      '--db',
      db,
    ]);
    expect(demote.code, demote.stderr).toBe(0);
    expect(await rolesIn(db, 'Several accounts')).toEqual({ first: 'owner', second: 'viewer' });
    const last = await runCli([
      'studies',
      'share',
      '--study',
      'Several accounts',
      '--username',
      'first',
      '--role',
      'viewer',
      '--db',
      db,
    ]);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('a study keeps at least one owner');
    const badRole = await runCli([
      'studies',
      'share',
      '--study',
      'Waits',
      '--username',
      'first',
      '--role',
      'admin',
      '--db',
      db,
    ]);
    expect(badRole.code).toBe(2);
  });
});
