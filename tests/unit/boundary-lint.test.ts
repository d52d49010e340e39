import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';

/**
 * The import table of docs/ARCHITECTURE.md is enforced by eslint.config.js. These snippets are linted at virtual paths
 * with the project's own config, so a rule that stops matching (a renamed folder, a broken pattern) fails here.
 * Local imports must point at files that exist: the plugin resolves them to decide which area they belong to.
 */
const localTargets = {
  sharedIssues: 'shared/benchmark/issues.ts',
  serverConfig: 'server/config.ts',
  sqliteStorage: 'server/storage/sqlite/sqlite-storage.ts',
  storageInterface: 'server/storage/storage.ts',
  httpGuards: 'server/http/guards.ts',
  clientTheme: 'client/src/app/theme.ts',
};

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: PROJECT_ROOT });
});

/** The boundary findings for `code` as if it were the file at `path` (relative to the repository). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, path) });
  const messages = result?.messages ?? [];
  // A parse error would hide every rule: fail loudly instead of reporting "no boundary errors".
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages
    .filter((message) => message.ruleId?.startsWith('boundaries/'))
    .map((message) => `${message.ruleId} line ${message.line}`);
}

describe('import boundaries (eslint.config.js)', () => {
  it('points the snippets at files that exist', () => {
    for (const target of Object.values(localTargets)) expect(existsSync(join(PROJECT_ROOT, target)), target).toBe(true);
  });

  it('keeps Fastify out of services', async () => {
    const code = "import Fastify from 'fastify';\nexport const app = Fastify;\n";
    expect(await boundaryErrors('server/services/example/x.ts', code)).toEqual(['boundaries/external line 1']);
  });

  it('keeps Node built-ins and server files out of shared/', async () => {
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import { z } from 'zod';",
      `import { PROJECT_ROOT } from '../../${localTargets.serverConfig}';`,
      "import type { Storage } from '../../server/storage/storage.ts';",
      'export const all = [readFileSync, z, PROJECT_ROOT];',
      'export type S = Storage;',
      '',
    ].join('\n');
    expect(await boundaryErrors('shared/schemas/x.ts', code)).toEqual([
      'boundaries/external line 1',
      'boundaries/element-types line 3',
      'boundaries/element-types line 4',
    ]);
  });

  it('keeps other packages out of shared/, React and scoped packages included', async () => {
    const code = [
      "import { useState } from 'react';",
      "import path from 'path';",
      "import Button from '@mui/material/Button';",
      'export const all = [useState, path, Button];',
      '',
    ].join('\n');
    expect(await boundaryErrors('shared/stats/x.ts', code)).toEqual([
      'boundaries/external line 1',
      'boundaries/external line 2',
      'boundaries/external line 3',
    ]);
  });

  it('keeps the server out of the client, and the client out of the server', async () => {
    const clientCode = `import { PROJECT_ROOT } from '../../../${localTargets.serverConfig}';\nexport const root = PROJECT_ROOT;\n`;
    expect(await boundaryErrors('client/src/features/x.ts', clientCode)).toEqual(['boundaries/element-types line 1']);
    const serverCode = `import { theme } from '../../${localTargets.clientTheme}';\nexport const t = theme;\n`;
    expect(await boundaryErrors('server/http/x.ts', serverCode)).toEqual(['boundaries/element-types line 1']);
  });

  it('keeps better-sqlite3 and the SQLite implementation out of the engine and services', async () => {
    const engineCode = "import Database from 'better-sqlite3';\nexport const db = Database;\n";
    expect(await boundaryErrors('server/engine/x.ts', engineCode)).toEqual(['boundaries/external line 1']);
    const serviceCode = "export { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.ts';\n";
    expect(await boundaryErrors('server/services/live/x.ts', serviceCode)).toEqual(['boundaries/element-types line 1']);
  });

  it('keeps transport out of services, generation and storage', async () => {
    const code = "import { requireResearcher } from '../http/guards.ts';\nexport const g = requireResearcher;\n";
    expect(await boundaryErrors('server/generation/x.ts', code)).toEqual(['boundaries/element-types line 1']);
    expect(await boundaryErrors('server/storage/x.ts', code)).toEqual(['boundaries/element-types line 1']);
  });

  it('lets only server/models import the AI SDK', async () => {
    const code =
      "import { createOpenAI } from '@ai-sdk/openai';\nimport { generateText } from 'ai';\nexport const all = [createOpenAI, generateText];\n";
    expect(await boundaryErrors('server/services/evaluation/x.ts', code)).toEqual([
      'boundaries/external line 1',
      'boundaries/external line 2',
    ]);
    expect(await boundaryErrors('server/generation/x.ts', code)).toEqual([
      'boundaries/external line 1',
      'boundaries/external line 2',
    ]);
    expect(await boundaryErrors('server/models/http/x.ts', code)).toEqual([]);
  });

  it('allows what the table allows', async () => {
    const serviceCode = [
      "import { z } from 'zod';",
      "import { readFile } from 'node:fs/promises';",
      "import * as issues from '../../../shared/benchmark/issues.ts';",
      "import type { Storage } from '../../storage/storage.ts';",
      'export const all = [z, readFile, issues];',
      'export type S = Storage;',
      '',
    ].join('\n');
    expect(await boundaryErrors('server/services/example/x.ts', serviceCode)).toEqual([]);
    const sqliteCode =
      "import Database from 'better-sqlite3';\nimport type { Storage } from '../storage.ts';\nexport const db = Database;\nexport type S = Storage;\n";
    expect(await boundaryErrors('server/storage/sqlite/x.ts', sqliteCode)).toEqual([]);
    const compositionCode = "export { openSqliteStorage } from '../storage/sqlite/sqlite-storage.ts';\n";
    expect(await boundaryErrors('server/cli/x.ts', compositionCode)).toEqual([]);
    const testCode = `import Database from 'better-sqlite3';\nimport { theme } from '../../${localTargets.clientTheme}';\nexport const all = [Database, theme];\n`;
    expect(await boundaryErrors('tests/unit/x.test.ts', testCode)).toEqual([]);
  });
});
