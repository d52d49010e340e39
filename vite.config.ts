import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// The client lives in client/; tests and benchmarks run from the repository root (vitest's root must stay '.').
const serverPort = Number(process.env.PREFDISCO_PORT ?? 5170);

export default defineConfig({
  root: 'client',
  plugins: [
    react(),
    // Brotli and gzip copies beside each file (foo.js.br, foo.js.gz), made once at build at the highest levels: the
    // server (and a proxy) send them as they are, with Content-Encoding chosen from Accept-Encoding, and never
    // compress at request time.
    compression({ algorithms: ['brotliCompress', 'gzip'], logLevel: 'silent' }),
  ],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than our code: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion)/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // Only the researcher console uses TanStack Query: a chunk of its own keeps it off a participant's page.
            { name: 'query', test: /node_modules[\\/]@tanstack[\\/]/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/socket.io': { target: `http://127.0.0.1:${serverPort}`, ws: true },
    },
  },
  test: {
    root: '.',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `npm test` runs unit + integration; `npm run test:browser` runs the browser journeys. A file path filter
    // (`npx vitest run tests/unit/x.test.ts`) runs only the projects that contain it, so it never builds the client.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Pure functions, contracts on real SQLite files, lint rules: every *.test.ts outside integration/.
          include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
          exclude: ['tests/integration/**', 'tests/e2e/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        // Real HTTP and socket servers, child processes, the CLI.
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          // Real server process, real Chromium, the production build of the client (built once by the global setup).
          include: ['tests/e2e/**/*.e2e.ts'],
          globalSetup: ['tests/e2e/build-client.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The journeys share one built client and drive heavy processes: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
