import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresBinDir } from '../support/postgres-cluster.ts';
import { tempDir } from '../support/temp-files.ts';

const root = tempDir();

function install(major: string, tools: string[]): void {
  mkdirSync(join(root, major, 'bin'), { recursive: true });
  for (const tool of tools) writeFileSync(join(root, major, 'bin', tool), '');
}

describe('finding Debian PostgreSQL server binaries', () => {
  it('picks the newest major version that has initdb, pg_ctl and postgres, and none when nothing is installed', () => {
    expect(postgresBinDir(join(root, 'absent'))).toBeNull();
    install('13', ['initdb', 'pg_ctl', 'postgres']);
    install('15', ['initdb', 'pg_ctl', 'postgres']);
    // A client-only install (psql, pg_dump) of a newer version cannot run a cluster.
    install('16', ['pg_ctl', 'psql']);
    install('9', ['initdb', 'pg_ctl', 'postgres']);
    expect(postgresBinDir(root)).toBe(join(root, '15', 'bin'));
  });
});
