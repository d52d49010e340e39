import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import de from '../../shared/i18n/locales/de.json';
import en from '../../shared/i18n/locales/en.json';
import { LiveStudySettingsSchema, type LiveStudySettings } from '../../shared/schemas/live-study.ts';
import { buildApp } from '../../server/app.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { escapeHtml } from '../../server/http/join-shell.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

// The invitation link's page as served: the real app on a real SQLite file and a real port, with the client's own
// index.html as the page (no build needed: the server only fills in its #root). The consent is in the HTML only when
// it is sure to be the visitor's first step.

const dir = tempDir('prefdisco-join-shell-');
const clientDir = join(dir, 'client');
let app: FastifyInstance;
let storage: SqliteStorage;
let base: string;

const CONSENT = 'We study how models ask questions.\n\nYour replies are stored with your Prolific ID.';
const HOSTILE = 'Read this <script>alert("x")</script> and <img src=x onerror=alert(1)> & \'quotes\'';

async function studyWith(settings: Partial<LiveStudySettings> | null): Promise<string> {
  const study = await storage.createStudy({ name: `study ${Math.random()}` });
  if (settings) await storage.work.saveSettings(study.id, LiveStudySettingsSchema.parse(settings), new Date());
  return study.id;
}

async function inviteFor(settings: Partial<LiveStudySettings> | null, role: 'actor' | 'rater' = 'actor') {
  const studyId = await studyWith(settings);
  return (await storage.people.createInvite({ studyId, role })).code;
}

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { headers });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

const prerendered = (html: string): boolean => html.includes('data-prerendered="consent"');

beforeAll(async () => {
  mkdirSync(clientDir, { recursive: true });
  copyFileSync(join(PROJECT_ROOT, 'client', 'index.html'), join(clientDir, 'index.html'));
  storage = SqliteStorage.open({ file: join(dir, 'join-shell.sqlite') });
  app = await buildApp({ config: { clientDir }, storage });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await storage?.close();
});

describe('the invitation link with its consent in the page', () => {
  it("shows a fresh visitor the study's consent, in paragraphs, uncached, with the shell's security headers", async () => {
    const code = await inviteFor({ status: 'open', consentText: CONSENT });
    const res = await page(`/join/${code}?PROLIFIC_PID=abc&STUDY_ID=s&SESSION_ID=x`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.html).toContain('<html lang="en">');
    expect(res.html).toContain(
      '<p>We study how models ask questions.</p><p>Your replies are stored with your Prolific ID.</p>',
    );
    expect(res.html).toContain(`${en.common.beforeYouStart}</span>${en.consent.title}</h1>`);
    expect(res.html).toContain(en.consent.formLoading);
    // The boot "Loading…" gave way to the consent; the app's script is still there to take over.
    expect(res.html).not.toContain('class="boot-main"');
    expect(res.html).toContain('<script type="module"');

    const shell = await page('/play');
    expect(prerendered(shell.html)).toBe(false);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    for (const header of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) {
      expect(res.headers.get(header), header).toBe(shell.headers.get(header));
    }
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it("speaks the study's language: <html lang>, the headings and the default consent for the role", async () => {
    const actor = await page(`/join/${await inviteFor({ status: 'open', participantLanguage: 'de' })}`);
    expect(actor.html).toContain('<html lang="de">');
    expect(actor.html).toContain(`${de.common.beforeYouStart}</span>${de.consent.title}</h1>`);
    expect(actor.html).toContain(de.header.subtitle);
    expect(actor.html).toContain(`<p>${escapeHtml(de.consent.default.actorTask)}</p>`);
    expect(actor.html).not.toContain(de.consent.default.raterTask);
    expect(actor.html).not.toContain(en.consent.title);

    const rater = await page(`/join/${await inviteFor({ status: 'open', participantLanguage: 'de' }, 'rater')}`);
    expect(rater.html).toContain(`<p>${escapeHtml(de.consent.default.raterTask)}</p>`);
    // A study never configured for live work is open and English, with the default consent.
    const plain = await page(`/join/${await inviteFor(null)}`);
    expect(plain.html).toContain(`<p>${escapeHtml(en.consent.default.actorTask)}</p>`);
  });

  it('shows raters the rater consent when the study has one', async () => {
    const code = await inviteFor(
      { status: 'open', consentText: CONSENT, raterConsentText: 'Raters only read.' },
      'rater',
    );
    const res = await page(`/join/${code}`);
    expect(res.html).toContain('<p>Raters only read.</p>');
    expect(res.html).not.toContain('We study how models');
  });

  it("escapes the researcher's text: no tag or attribute of it reaches the page", async () => {
    const res = await page(`/join/${await inviteFor({ status: 'open', consentText: HOSTILE })}`);
    expect(prerendered(res.html)).toBe(true);
    expect(res.html).not.toContain('<script>alert');
    expect(res.html).not.toContain('<img');
    expect(res.html).toContain(
      'Read this &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; and &#60;img src=x onerror=alert(1)&#62; &#38; &#39;quotes&#39;',
    );
  });

  it('sends the plain shell when the first step may be another one', async () => {
    const screening = await inviteFor({ status: 'open', consentText: CONSENT, screeningQuestion: 'Are you 18?' });
    const paused = await inviteFor({ status: 'paused', consentText: CONSENT });
    const closed = await inviteFor({ status: 'closed', consentText: CONSENT });
    const draft = await inviteFor({ status: 'draft', consentText: CONSENT });
    const fresh = await inviteFor({ status: 'open', consentText: CONSENT });
    const withdrawn = await inviteFor({ status: 'open', consentText: CONSENT });
    await storage.people.revokeInvite(withdrawn, 'finish');
    const strictPid = await inviteFor({ status: 'open', consentText: CONSENT, requireProlificIdFormat: true });
    const cases: [string, string, Record<string, string>?][] = [
      ['screening', `/join/${screening}`],
      ['paused', `/join/${paused}`],
      ['closed', `/join/${closed}`],
      ['draft', `/join/${draft}`],
      ['unknown code', '/join/no-such-code'],
      ['withdrawn link', `/join/${withdrawn}`],
      ['malformed Prolific ID', `/join/${strictPid}?PROLIFIC_PID=not-an-id`],
      ['session cookie', `/join/${fresh}`, { cookie: 'pd_session=whatever' }],
    ];
    for (const [name, path, headers] of cases) {
      const res = await page(path, headers);
      expect(res.status, name).toBe(200);
      expect(prerendered(res.html), name).toBe(false);
      expect(res.html, name).toContain('class="boot-main"');
      expect(res.html, name).not.toContain(CONSENT.slice(0, 20));
      expect(res.headers.get('cache-control'), name).toBe('no-cache');
    }
    // The same links without what held them back do get the consent.
    expect(prerendered((await page(`/join/${fresh}`)).html)).toBe(true);
    expect(prerendered((await page(`/join/${strictPid}?PROLIFIC_PID=${'a1'.repeat(12)}`)).html)).toBe(true);
  });
});
