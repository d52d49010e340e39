import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinFromProlific } from '../support/prolific-join.ts';
import { startScriptedStudyApp, type ScriptedStudyApp } from '../support/scripted-study-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * A study's participant language, over real HTTP on a real SQLite file: saved with the settings, read back, sent to
 * participants in their journey (the client loads that catalog), and refused with the field named when unknown.
 */

const dir = tempDir('prefdisco-participant-language-');
let t: ScriptedStudyApp;

async function inject(method: 'GET' | 'PUT' | 'POST', url: string, cookie: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

beforeAll(async () => {
  t = await startScriptedStudyApp(joinPath(dir, 'language.sqlite'));
}, 30_000);

afterAll(async () => {
  await t.close();
});

describe('a study chooses the language of its participant pages', () => {
  it('defaults to English, stores German, and tells participants in their journey', async () => {
    const settingsUrl = `/api/studies/${t.sampleStudyId}/settings`;
    expect((await inject('PUT', settingsUrl, t.researcher, { models: ['scripted'] })).status).toBe(200);
    const before = await inject('GET', settingsUrl, t.researcher);
    expect(before.status).toBe(200);
    expect(JSON.stringify(before.body)).toContain('"participantLanguage":"en"');

    const saved = await inject('PUT', settingsUrl, t.researcher, { models: ['scripted'], participantLanguage: 'de' });
    expect(saved.status).toBe(200);
    expect(JSON.stringify((await inject('GET', settingsUrl, t.researcher)).body)).toContain(
      '"participantLanguage":"de"',
    );
    expect([200, 409]).toContain((await inject('POST', `/api/studies/${t.sampleStudyId}/open`, t.researcher)).status);

    const actor = await joinFromProlific(t, t.sampleStudyId, 'actor', 1);
    const journey = await inject('GET', '/api/participant/journey', actor.cookie);
    expect(journey.status).toBe(200);
    expect(journey.body['participantLanguage']).toBe('de');
  });

  it('refuses a language there is no catalog for, naming the field, and keeps the stored one', async () => {
    const settingsUrl = `/api/studies/${t.sampleStudyId}/settings`;
    const refused = await inject('PUT', settingsUrl, t.researcher, { models: ['scripted'], participantLanguage: 'fr' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('participantLanguage');
    expect(JSON.stringify((await inject('GET', settingsUrl, t.researcher)).body)).toContain(
      '"participantLanguage":"de"',
    );
  });
});
