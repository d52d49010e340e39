import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { ParticipantJourney } from '../../shared/schemas/participant-outcome.ts';
import type { ConsentVersions } from '../../shared/schemas/consent.ts';
import { sha256Hex } from '../../server/services/consent/consent-text.ts';
import { connectSocket, joinAs, listenOnce, signInResearcher } from '../support/auth-helpers.ts';
import { settings } from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { grantStudyRole } from '../support/study-roles.ts';

let t: TestApp;
let url: string;
let researcher: string;
let studyId: string;

beforeAll(async () => {
  t = await startTestApp(tempDir());
  url = await listenOnce(t.app);
  const signedIn = await signInResearcher(t);
  researcher = signedIn.cookie;
  studyId = (await t.storage.createStudy({ name: 'Consent study' })).id;
  await grantStudyRole(t.storage, studyId, signedIn.researcherId);
});
afterAll(async () => {
  await t.close();
});

async function journeyOf(cookie: string): Promise<ParticipantJourney> {
  const res = await t.app.inject({ method: 'GET', url: '/api/participant/journey', headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ParticipantJourney>();
}

async function decide(cookie: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/participant/consent', headers: { cookie }, payload: body });
}

async function participantsExport(): Promise<Record<string, unknown>[]> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/studies/${studyId}/export/participants.jsonl`,
    headers: { cookie: researcher },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.body
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('consent records', () => {
  it('records the version agreed to, refuses a stale hash, and exports older agreements as not current', async () => {
    // No study text: the journey carries the actor's default consent in the study's language, and its hash.
    const first = await joinAs(t, 'actor', { studyId, prolificPid: 'pid-first', consent: false });
    const before = await journeyOf(first.cookie);
    expect(before.consent.decision).toBeNull();
    expect(before.consent.text).toContain('You are invited to take part');
    expect(before.consent.sha256).toBe(sha256Hex(before.consent.text));

    const stale = await decide(first.cookie, { agreed: true, sha256: sha256Hex('some other text') });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ message: string }>().message).toMatch(/changed its consent text.*reload the page/);
    expect((await journeyOf(first.cookie)).consent.decision).toBeNull();

    const agreed = await decide(first.cookie, { agreed: true, sha256: before.consent.sha256 });
    expect(agreed.statusCode, agreed.body).toBe(200);
    expect(agreed.json<ParticipantJourney>().consent).toMatchObject({ decision: 'agreed' });
    // A second device asks the journey and sees the step done.
    expect((await journeyOf(first.cookie)).consent.decision).toBe('agreed');

    // The study writes its own consent (in German): a new version; the next participant agrees to that one.
    await t.storage.work.saveSettings(
      studyId,
      settings({ consentText: '  Neue Einwilligung.\n\nZweiter Absatz.  ', participantLanguage: 'de' }),
      new Date(),
    );
    const second = await joinAs(t, 'actor', { studyId, prolificPid: 'pid-second', consent: false });
    const now = (await journeyOf(second.cookie)).consent;
    expect(now.text).toBe('Neue Einwilligung.\n\nZweiter Absatz.');
    expect((await decide(second.cookie, { agreed: true, sha256: now.sha256 })).statusCode).toBe(200);

    const versions = await t.app.inject({
      method: 'GET',
      url: `/api/studies/${studyId}/consent-versions`,
      headers: { cookie: researcher },
    });
    expect(versions.statusCode, versions.body).toBe(200);
    expect(
      versions.json<ConsentVersions>().versions.map((v) => [v.version, v.language, v.current, v.text.slice(0, 18)]),
    ).toEqual([
      [before.consent.sha256.slice(0, 12), 'en', false, 'You are invited to'],
      [now.sha256.slice(0, 12), 'de', true, 'Neue Einwilligung.'],
    ]);

    const rows = await participantsExport();
    const byPid = new Map(rows.map((r) => [r['prolific_pid'], r]));
    expect(byPid.get('pid-first')).toMatchObject({
      consent: 'agreed',
      consent_version: before.consent.sha256.slice(0, 12),
      consent_current: false,
    });
    expect(byPid.get('pid-second')).toMatchObject({
      consent: 'agreed',
      consent_version: now.sha256.slice(0, 12),
      consent_current: true,
    });
    expect(typeof byPid.get('pid-second')?.['consent_at']).toBe('string');
  });

  it('a refusal keeps only itself: no Prolific ids, a refused row in the export, and no work', async () => {
    const person = await joinAs(t, 'rater', { studyId, prolificPid: 'pid-refuses', consent: false });
    const { sha256 } = (await journeyOf(person.cookie)).consent;
    const refused = await decide(person.cookie, { agreed: false, sha256 });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json<ParticipantJourney>().consent.decision).toBe('refused');
    // Changing one's mind afterwards is not a silent overwrite.
    expect((await decide(person.cookie, { agreed: true, sha256 })).statusCode).toBe(409);

    const stored = await t.storage.people.getParticipant(person.participantId);
    expect(stored?.prolificPid).toBeUndefined();
    expect(stored?.prolificSessionId).toBeUndefined();
    const row = (await participantsExport()).find((r) => r['consent'] === 'refused');
    expect(row).toMatchObject({ role: 'rater', prolific_pid: null, consent_version: sha256.slice(0, 12) });

    const socket = await connectSocket(url, { cookie: person.cookie });
    try {
      const ack: Ack<unknown> = await socket.timeout(5000).emitWithAck('rating:next', {});
      expect(ack).toMatchObject({ ok: false, error: 'forbidden' });
    } finally {
      socket.close();
    }
  });

  it('play and rating refuse a participant who has not agreed, and let them in once they have', async () => {
    const rater = await joinAs(t, 'rater', { studyId, consent: false });
    const socket = await connectSocket(url, { cookie: rater.cookie });
    try {
      const refused: Ack<unknown> = await socket.timeout(5000).emitWithAck('rating:next', {});
      expect(refused).toMatchObject({ ok: false, error: 'forbidden' });
      expect(JSON.stringify(refused)).toContain('agree to the study’s consent');
      const { sha256 } = (await journeyOf(rater.cookie)).consent;
      expect((await decide(rater.cookie, { agreed: true, sha256 })).statusCode).toBe(200);
      // Past the gate: the study has nothing to rate yet, which is a different answer.
      const after: Ack<unknown> = await socket.timeout(5000).emitWithAck('rating:next', {});
      expect(after.ok ? 'ok' : after.error).not.toBe('forbidden');
    } finally {
      socket.close();
    }
  });

  it('refuses a malformed body with a clear error, and a big one before reading it', async () => {
    const person = await joinAs(t, 'actor', { studyId, consent: false });
    const bad = await decide(person.cookie, { agreed: 'yes', sha256: 'abc' });
    expect(bad.statusCode).toBe(400);
    const big = await decide(person.cookie, { agreed: true, sha256: 'a'.repeat(64), pad: 'x'.repeat(4096) });
    expect(big.statusCode).toBe(413);
    expect((await journeyOf(person.cookie)).consent.decision).toBeNull();
  });
});
