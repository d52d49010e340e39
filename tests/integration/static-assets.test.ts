import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

// The production build of the client, made here into a temporary folder (not dist/client, which the browser tests
// build and serve), served by the real app on a real port: what a browser or a proxy receives.

const dir = tempDir();
const clientDir = join(dir, 'client');
let app: FastifyInstance;
let storage: SqliteStorage;
let base: string;

beforeAll(async () => {
  const built = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--outDir',
      clientDir,
      '--logLevel',
      'error',
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
  storage = SqliteStorage.open({ file: join(dir, 'static.sqlite') });
  app = await buildApp({ config: { clientDir }, storage });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await storage?.close();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET that keeps the body as sent (fetch would decompress it). */
function get(path: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

describe('the built client as served', () => {
  it('the build writes brotli and gzip copies beside every script and the page', () => {
    const assets = readdirSync(join(clientDir, 'assets'));
    const scripts = assets.filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(3);
    for (const script of scripts) {
      const original = readFileSync(join(clientDir, 'assets', script));
      // A copy is left out only when it would not be smaller (a chunk of a few dozen bytes); the server then sends
      // the plain file.
      const copy = (suffix: string): Buffer | null => {
        const path = join(clientDir, 'assets', `${script}${suffix}`);
        return existsSync(path) ? readFileSync(path) : null;
      };
      const br = copy('.br');
      if (br) expect(brotliDecompressSync(br)).toEqual(original);
      else expect(brotliCompressSync(original).length, `${script}.br missing`).toBeGreaterThanOrEqual(original.length);
      const gz = copy('.gz');
      if (gz) expect(gunzipSync(gz)).toEqual(original);
      else expect(gzipSync(original).length, `${script}.gz missing`).toBeGreaterThanOrEqual(original.length);
    }
    expect(readdirSync(clientDir)).toEqual(expect.arrayContaining(['index.html', 'index.html.br', 'index.html.gz']));
  });

  it('a hashed script: the brotli or gzip file as built, or the plain file, always cached as immutable', async () => {
    // The largest of the MUI chunks (they are split by the pages that use them).
    const script =
      readdirSync(join(clientDir, 'assets'))
        .filter((f) => /^mui-.+\.js$/.test(f))
        .sort((a, b) => statSync(join(clientDir, 'assets', b)).size - statSync(join(clientDir, 'assets', a)).size)[0] ??
      '';
    const file = (suffix: string) => readFileSync(join(clientDir, 'assets', `${script}${suffix}`));
    const url = `/assets/${script}`;

    const br = await get(url, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body).toEqual(file('.br'));
    expect(br.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(br.headers['cache-control']).toBe(IMMUTABLE);
    expect(br.headers.vary).toMatch(/accept-encoding/i);

    const gzip = await get(url, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body).toEqual(file('.gz'));
    expect(gzip.headers['cache-control']).toBe(IMMUTABLE);

    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(file(''));
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);

    // Compressed, the participant's biggest library is a quarter of its size.
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
  });

  it('the page itself (and the single-page fallback) is revalidated on every load, never immutable', async () => {
    for (const path of ['/', '/index.html', '/join/some-code?PROLIFIC_PID=x', '/play']) {
      const res = await get(path, 'br');
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.headers['content-encoding'], path).toBe('br');
      expect(brotliDecompressSync(res.body).toString(), path).toContain('<div id="root">');
    }
    const plain = await get('/');
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.body.toString()).toContain('<script type="module"');
  });

  it('API answers are not given the static files’ caching', async () => {
    const res = await get('/api/health', 'br');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});
