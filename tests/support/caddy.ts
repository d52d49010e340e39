import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Debian's Caddy (`apt-get install caddy`); null when it is not installed. */
export function caddyBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v caddy'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path !== '' ? path : null;
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningCaddy {
  pid: number;
  /** The root certificate of Caddy's local CA (`tls internal`), to trust in the test's clients only. */
  ca: string;
  output(): string;
  /** Local addresses Caddy listens on (TCP), read from /proc: e.g. ['127.0.0.1:8443']. */
  listening(): string[];
  stop(): Promise<void>;
}

/**
 * Runs `caddy run` on a Caddyfile in `dir`, with all its state (certificates, autosave) kept in `dir`, and resolves
 * once `https://127.0.0.1:<httpsPort>/probePath` answers through it with Caddy's local CA trusted.
 */
export async function startCaddy(options: {
  binary: string;
  dir: string;
  caddyfile: string;
  httpsPort: number;
  probePath: string;
}): Promise<RunningCaddy> {
  const config = join(options.dir, 'Caddyfile');
  writeFileSync(config, options.caddyfile);
  // HOME and XDG_* keep Caddy's autosave and data away from the real user's folders.
  const child = spawn(options.binary, ['run', '--config', config, '--adapter', 'caddyfile'], {
    cwd: options.dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: options.dir,
      XDG_DATA_HOME: join(options.dir, 'data'),
      XDG_CONFIG_HOME: join(options.dir, 'config'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const pid = child.pid ?? -1;

  const rootCert = join(options.dir, 'storage', 'pki', 'authorities', 'local', 'root.crt');
  const started = Date.now();
  for (;;) {
    if (gone) throw new Error(`caddy exited:\n${output}`);
    if (Date.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`caddy did not answer on https://127.0.0.1:${options.httpsPort}:\n${output}`);
    }
    if (existsSync(rootCert) && (await answers(options.httpsPort, options.probePath, readFileSync(rootCert, 'utf8')))) {
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    pid,
    ca: readFileSync(rootCert, 'utf8'),
    output: () => output,
    listening: () => listeningAddresses(pid),
    stop: async () => {
      if (gone) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function answers(port: number, path: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** The listening TCP sockets a process holds: its socket inodes (/proc/PID/fd) matched in /proc/net/tcp and tcp6. */
function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor closed while we read the folder.
    }
  }
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is col 1, state col 3 (0A = LISTEN), inode col 9.
      if (cols[3] !== '0A' || !cols[9] || !inodes.has(cols[9])) continue;
      found.push(decodeAddress(cols[1] ?? ''));
    }
  }
  return found;
}

/** /proc/net/tcp's "0100007F:1F90" → "127.0.0.1:8080"; IPv6 addresses are given as hex groups. */
function decodeAddress(hex: string): string {
  const [ip = '', port = ''] = hex.split(':');
  const portNumber = parseInt(port, 16);
  if (ip.length === 8) {
    const bytes = (ip.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse();
    return `${bytes.join('.')}:${portNumber}`;
  }
  // Four little-endian 32-bit words.
  const words = (ip.match(/.{8}/g) ?? []).map((w) => (w.match(/../g) ?? []).reverse().join(''));
  const groups = words.join('').match(/.{4}/g) ?? [];
  return `[${groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':')}]:${portNumber}`;
}
