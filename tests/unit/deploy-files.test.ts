import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../server/config.ts';
import { allCommands } from '../../server/cli/cli-reference.ts';
import { warnIfFewDescriptors } from '../../server/plugins/connection-limits.ts';

// The shipped deployment files (docs/deploying.md) must agree with the settings the server reads and with each other:
// a misspelt variable in the env file is silently ignored at start, and the guide is followed by copying these files.
const read = (path: string): string => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const envExample = read('deploy/prefdisco.env.example');
const unit = read('deploy/prefdisco.service');

/** Every KEY=… line, also the commented-out ones (`# OPENAI_API_KEY=`), in file order. */
function envKeys(text: string): string[] {
  return [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');
}

function unitSetting(name: string, text = unit, file = 'deploy/prefdisco.service'): string {
  const value = new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1];
  if (value === undefined) throw new Error(`${file} has no ${name}=`);
  return value.trim();
}

describe('deploy/prefdisco.env.example', () => {
  it('names only settings server/config.ts reads, each documented in the README', () => {
    const schemaKeys = new Set([...read('server/config.ts').matchAll(/^\s+(PREFDISCO_[A-Z_]+):/gm)].map((m) => m[1]));
    const readme = read('README.md');
    const keys = envKeys(envExample).filter((key) => key.startsWith('PREFDISCO_'));
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((key) => !schemaKeys.has(key))).toEqual([]);
    expect(keys.filter((key) => !readme.includes(`\`${key}\``))).toEqual([]);
  });

  it('read as Node reads it (--env-file, like systemd), gives the production settings the guide describes', () => {
    const config = loadConfig({ ...parseEnv(envExample) });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 5170,
      secureCookies: true,
      trustProxy: ['127.0.0.1', '::1'],
      maxConnectionsPerIp: 4096,
      seedSample: false,
      databaseFile: '/var/lib/prefdisco/prefdisco.sqlite',
      runsDir: '/var/lib/prefdisco/runs',
      modelsFile: '/opt/prefdisco/config/models.json',
      cookieSecret: null,
      adminUsername: null,
      adminPassword: null,
      logLevel: 'info',
    });
  });
});

describe('deploy/prefdisco.service with those settings', () => {
  const config = loadConfig({ ...parseEnv(envExample) });

  it('reads the env file the guide installs and may write where the database and results files go', () => {
    expect(unitSetting('EnvironmentFile')).toBe('/etc/prefdisco.env');
    expect(unitSetting('ReadWritePaths')).toBe(dirname(config.databaseFile));
    expect(dirname(config.runsDir)).toBe(unitSetting('ReadWritePaths'));
    expect(`/var/lib/${unitSetting('StateDirectory')}`).toBe(dirname(config.databaseFile));
  });

  it('gives the connection cap enough file descriptors: the start-up warning stays silent', () => {
    const warnings: string[] = [];
    const limit = Number(unitSetting('LimitNOFILE'));
    warnIfFewDescriptors({ warn: (_fields, message) => warnings.push(message) }, config.maxConnectionsPerIp, limit);
    expect(warnings).toEqual([]);
    // The default soft limit of a shell would not do: the warning the guide quotes.
    warnIfFewDescriptors({ warn: (_fields, message) => warnings.push(message) }, config.maxConnectionsPerIp, 1024);
    expect(warnings).toEqual([expect.stringContaining('the open-files limit (1024) is below 16640')]);
  });

  it('and both proxies forward to the port the app listens on', () => {
    expect(read('deploy/Caddyfile')).toContain(`reverse_proxy ${config.host}:${config.port}`);
    const nginx = read('deploy/nginx.conf');
    expect([...nginx.matchAll(/proxy_pass (\S+);/g)].map((m) => m[1])).toEqual([
      `http://${config.host}:${config.port}`,
      `http://${config.host}:${config.port}`,
    ]);
  });
});

describe('deploy/prefdisco-worker.service', () => {
  const file = 'deploy/prefdisco-worker.service';
  const worker = read(file);
  const setting = (name: string): string => unitSetting(name, worker, file);

  it('runs the worker from the same code folder, as the same user, with the same settings file as the server', () => {
    for (const name of ['WorkingDirectory', 'EnvironmentFile', 'User', 'KillSignal']) {
      expect(setting(name)).toBe(unitSetting(name));
    }
  });

  it('starts `prefdisco worker` with options the command has', () => {
    const [node, bin, command, ...args] = setting('ExecStart').split(/\s+/);
    expect([node, bin, command]).toEqual([
      unitSetting('ExecStart').split(/\s+/)[0],
      unitSetting('ExecStart').split(/\s+/)[1],
      'worker',
    ]);
    const options = allCommands().find((c) => c.path.join(' ') === 'worker')?.command.options ?? [];
    const known = new Set(options.map((o) => o.long));
    const flags = args.filter((a) => a.startsWith('--'));
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.filter((f) => !known.has(f))).toEqual([]);
  });
});
