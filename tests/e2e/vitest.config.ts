import { defineConfig } from 'vitest/config';

// Browser journeys: real server process, real Chromium. Run with `npm run test:e2e` (needs the built client).
export default defineConfig({
  test: {
    root: '.',
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/build-client.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
