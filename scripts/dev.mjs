// `npm run dev`: the server with reload on change (tsx watch) and the Vite dev server with hot reload, side by side.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
// Browsers use Vite's port (it proxies /api and /socket.io to the server), so the server's printed first-run setup
// link names it; --strictPort keeps Vite from moving to another port the link would not name.
const VITE_PORT = '5173';
const children = [
  spawn(process.execPath, [bin('tsx', 'dist/cli.mjs'), 'watch', '--clear-screen=false', 'server/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PREFDISCO_SETUP_LINK_PORT: VITE_PORT },
  }),
  spawn(process.execPath, [bin('vite', 'bin/vite.js'), '--port', VITE_PORT, '--strictPort'], {
    cwd: root,
    stdio: 'inherit',
  }),
];
const stop = (signal) => {
  for (const child of children) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
for (const child of children)
  child.on('exit', (code) => {
    stop('SIGTERM');
    process.exitCode = code ?? 0;
  });
