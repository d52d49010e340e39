import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser } from '../../support/browser.ts';
import {
  startFakeOpenAiServer,
  type ChatRequestBody,
  type FakeOpenAiServer,
  type PlannedReply,
} from '../../support/fake-openai-server.ts';
import { serveProcess, type ServedApp } from '../../support/serve-process.ts';
import { writeFile } from '../../support/temp-files.ts';

/** The app as `npm start` serves it, with one model under test on a local chat server, and a browser. */
export interface ServedWithModel {
  models: FakeOpenAiServer;
  served: ServedApp;
  browser: Browser;
}

export interface ServedWithModelOptions {
  dir: string;
  /** The declared model's name (and the id the fake server sees). */
  model: string;
  /** The database file's name inside `dir`. */
  database: string;
  admin: { username: string; password: string };
  /** How the model answers; without it, the fake server's default reply (for tests that never play). */
  respond?: (body: ChatRequestBody) => PlannedReply;
}

/**
 * Registers the file's beforeAll/afterAll: a fake OpenAI-compatible server answering with `respond`, a models file
 * declaring it, the served app with a researcher account, and Chromium. The returned object is filled in beforeAll;
 * afterwards the browser closes, the server must stop with exit code 0 and the model server closes.
 */
export function servedWithModel(options: ServedWithModelOptions): ServedWithModel {
  const app = {} as ServedWithModel;
  beforeAll(async () => {
    app.models = await startFakeOpenAiServer();
    if (options.respond) app.models.respondWith(options.respond);
    const modelsFile = writeFile(
      options.dir,
      'models.json',
      JSON.stringify({
        models: [
          {
            name: options.model,
            provider: 'openai-compatible',
            model: options.model,
            baseUrl: app.models.baseUrl,
            maxRetries: 1,
          },
        ],
      }),
    );
    app.served = await serveProcess({
      PREFDISCO_DB: join(options.dir, options.database),
      PREFDISCO_MODELS_FILE: modelsFile,
      PREFDISCO_ADMIN_USERNAME: options.admin.username,
      PREFDISCO_ADMIN_PASSWORD: options.admin.password,
    });
    app.browser = await launchBrowser();
  });
  afterAll(async () => {
    await app.browser?.close();
    expect(await app.served?.stop()).toBe(0);
    await app.models?.close();
  });
  return app;
}
