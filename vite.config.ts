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
  resolve: {
    // rehype-katex brings its own older KaTeX (0.16), whose class names (base, strut …) differ from the KaTeX 0.19
    // stylesheet the renderer imports (katex-base, katex-strut …): \boxed lost its frame. One copy, the project's.
    dedupe: ['katex'],
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than our code: separate chunks stay cached across releases. `entriesAware`
        // splits a group by the chunks that use its modules, so the join page's first load carries only the MUI parts
        // and libraries the join steps use; those only the lazy parts use (researcher console, play, rating, done)
        // come with them (docs/ARCHITECTURE.md, "The participant bundle").
        // A split group's chunk is named after every chunk using it (mui~index~researcher-console~…): name it after
        // its group only, so a participant's file list never names the console (the hash tells the parts apart).
        chunkFileNames: (chunk) => `assets/${chunk.name.split('~')[0]}-[hash].js`,
        codeSplitting: {
          groups: [
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion)/, entriesAware: true },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // Only the researcher console uses TanStack Query: a chunk of its own keeps it off a participant's page.
            { name: 'query', test: /node_modules[\\/]@tanstack[\\/]/ },
            // Markdown and KaTeX (with everything they pull in) are loaded only when model or benchmark text is shown
            // (client/src/ui/rich-text): kept out of 'vendor', which every page loads first.
            { name: 'rich-text', test: /node_modules[\\/](react-markdown|remark-[^\\/]+|rehype-katex|katex)[\\/]/ },
            // The live connection's library in a chunk of its own, so a page's file list shows when it is loaded.
            {
              name: 'socket-io',
              test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io)[\\/]/,
            },
            { name: 'vendor', test: /node_modules/, entriesAware: true },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      // The object form keeps the page's Host (localhost:5173), as Socket.IO's below does: the string shorthand would
      // rewrite it to the server's, and the server refuses requests whose Origin names another host than their Host.
      '/api': { target: `http://127.0.0.1:${serverPort}` },
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
        // Real HTTP and socket servers, child processes, the CLI. Server processes now start a research worker thread
        // too (a second copy of the server's code), and CI runs these files beside the unit files on two cores: a
        // minute and a half before a test counts as hung.
        // The PostgreSQL tests share one throwaway cluster per run (tests/support/postgres-global-setup.ts).
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 90_000,
          globalSetup: ['tests/support/postgres-global-setup.ts'],
        },
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
