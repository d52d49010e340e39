import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import de from '../../shared/i18n/locales/de.json' with { type: 'json' };
import en from '../../shared/i18n/locales/en.json' with { type: 'json' };
import type { ParticipantRole } from '../../shared/schemas/identity.ts';
import type { LiveStudySettings } from '../../shared/schemas/live-study.ts';
import type { ParticipantLanguage } from '../../shared/schemas/participant-language.ts';
import { isProlificPidFormat } from '../../shared/schemas/participant-outcome.ts';
import type { StudyGate } from '../services/auth/join-study.ts';
import { SESSION_COOKIE } from '../services/auth/sessions.ts';
import { shownConsent } from '../services/consent/consent-text.ts';
import { participantIntro } from '../services/studies/participant-intro.ts';
import type { InviteLink } from '../storage/people-storage.ts';

/**
 * The invitation link's page with its consent step already in the HTML (docs/ARCHITECTURE.md, "The participant
 * bundle"). On a phone the app's script takes seconds to arrive and run, and the join's round trips follow; the
 * consent text is what a participant reads first, so the server puts it in the page itself. The script then joins
 * as always and replaces this block with the real step (main.tsx waits for the join before its first render, so the
 * text never gives way to a loading state).
 *
 * Pre-rendered only when the visitor's first step is sure to be consent: a link that admits new people, an open
 * study, no screening question (screening comes first), a Prolific ID the study accepts, and no session cookie (a
 * returning participant goes straight back to their task, so no consent may flash). A returning participant on
 * another device (no cookie, a Prolific SESSION_ID that resumes them) sees the consent until the script has joined
 * and moves them on: rare, and what they see is their own study's text. Anything else gets the plain shell.
 */

type Catalog = typeof en;
const CATALOGS: Record<ParticipantLanguage, Catalog> = { en, de };

export interface JoinShellDeps {
  clientDir: string;
  findInvite(code: string): Promise<InviteLink | null>;
  studyGate: StudyGate;
  getSettings(studyId: string): Promise<LiveStudySettings | null>;
}

/** What the consent block shows: the study's language, the role, and the paragraphs (the study's or the default). */
export interface ConsentFirst {
  language: ParticipantLanguage;
  role: ParticipantRole;
  paragraphs: string[];
  /** The researcher's time estimate for the role (minutes, 0 for none): the step indicator then has a second line. */
  estimatedMinutes: number;
}

/** Whether the link admits someone new now (the same limits storage checks at the join). */
function admitsNewPeople(invite: InviteLink, now: Date): boolean {
  if (invite.revoked) return false;
  if (invite.expiresAt !== null && Date.parse(invite.expiresAt) <= now.getTime()) return false;
  return invite.maxParticipants === null || invite.participants < invite.maxParticipants;
}

/** The consent a fresh visitor of this link sees first, or null when their first step is anything else. */
export async function consentFirst(
  deps: Omit<JoinShellDeps, 'clientDir'>,
  code: string,
  prolificPid: string | undefined,
  now = new Date(),
): Promise<ConsentFirst | null> {
  const invite = await deps.findInvite(code);
  if (!invite || !admitsNewPeople(invite, now)) return null;
  if ((await deps.studyGate(invite.studyId)) !== 'open') return null;
  const settings = await deps.getSettings(invite.studyId);
  if (settings && settings.screeningQuestion.trim() !== '') return null;
  if (settings?.requireProlificIdFormat && prolificPid !== undefined && !isProlificPidFormat(prolificPid)) return null;
  // The same text the consent step shows and the consent record names (services/consent/consent-text.ts), split as
  // the step splits it, so the paragraphs match the ones React renders in their place.
  const { language, text } = shownConsent(settings, invite.role);
  const paragraphs = text.split(/\n\s*\n/);
  return {
    language,
    role: invite.role,
    paragraphs,
    estimatedMinutes: participantIntro(settings, invite.role).estimatedMinutes,
  };
}

/** Researcher-written text goes into HTML: every character with a meaning there is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Close to the React layout at each breakpoint (theme.ts, participant-app.tsx, Narrow, the card and its stack), so
// React's first render takes the block's place without the text moving (measured at 390 px wide: the step
// indicator, only reserved here, is 80 px with its labels on two lines, 24 more with the time estimate).
const CONSENT_STYLE = `<style>
      .boot-sub { font-weight: 400; opacity: 0.85; }
      .boot-page { display: block; box-sizing: border-box; max-width: 1536px; margin: 0 auto; padding: 16px; }
      .boot-narrow { max-width: 720px; margin: 0 auto; padding: 16px 0; }
      .boot-steps { height: 80px; margin-bottom: 16px; }
      .boot-steps.with-estimate { height: 104px; }
      .boot-card { background: #fff; border: 1px solid rgba(0, 0, 0, 0.12); border-radius: 8px; padding: 16px 16px 24px;
        color: rgba(0, 0, 0, 0.87); }
      .boot-card h1 { margin: 0; font-size: 1.4rem; font-weight: 600; line-height: 1.2; }
      .boot-kicker { display: block; font-size: 0.75rem; font-weight: 400; line-height: 1.6; letter-spacing: 0.08333em;
        text-transform: uppercase; color: rgba(0, 0, 0, 0.6); }
      .boot-consent { margin-top: 16px; max-height: 50vh; overflow-y: auto; padding-right: 8px; }
      .boot-consent p { margin: 0 0 12px; font-size: 1rem; line-height: 1.5; letter-spacing: 0.00938em;
        white-space: pre-wrap; }
      .boot-status { margin: 16px 0 0; min-height: 100px; line-height: 1.5; color: rgba(0, 0, 0, 0.6); }
      @media (min-width: 600px) { .boot-bar { padding: 0 24px; } .boot-page { padding: 16px 24px; } }
      @media (min-width: 900px) { .boot-page { padding: 24px; } .boot-narrow { padding: 32px 0; } }
    </style>
  </head>`;

/**
 * index.html with `#root`'s boot content replaced by the consent block, `<html lang>` set to the study's language
 * and the block's styles added; null when the page does not have the markers this relies on (a changed index.html
 * then gets the plain shell rather than a broken page).
 */
export function renderConsentShell(index: string, consent: ConsentFirst): string | null {
  const start = index.indexOf('<!-- boot:start -->');
  const end = index.indexOf('<!-- boot:end -->');
  if (start < 0 || end < start || !index.includes('</head>') || !/<html lang="[a-z]+">/.test(index)) return null;
  const c = CATALOGS[consent.language];
  const paragraphs = consent.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const block =
    `<header class="boot-bar">${escapeHtml(c.header.title)} <span class="boot-sub">${escapeHtml(c.header.subtitle)}</span></header>` +
    `<main class="boot-page" data-prerendered="consent"><div class="boot-narrow">` +
    `<div class="boot-steps${consent.estimatedMinutes > 0 ? ' with-estimate' : ''}"></div>` +
    `<section class="boot-card" aria-labelledby="consent-title">` +
    `<h1 id="consent-title"><span class="boot-kicker">${escapeHtml(c.common.beforeYouStart)}</span>${escapeHtml(c.consent.title)}</h1>` +
    `<div class="boot-consent" tabindex="0" role="region" aria-label="${escapeHtml(c.consent.textLabel)}">${paragraphs}</div>` +
    `<p class="boot-status" role="status">${escapeHtml(c.consent.formLoading)}</p>` +
    `</section></div></main>`;
  return (index.slice(0, start) + block + index.slice(end + '<!-- boot:end -->'.length))
    .replace(/<html lang="[a-z]+">/, `<html lang="${consent.language}">`)
    .replace('</head>', CONSENT_STYLE);
}

/**
 * For GET /join/:code: the page with the consent pre-rendered, or null for the plain shell (not a join path, a
 * session cookie, a first step other than consent, or any failure: a lookup that fails must never break the page).
 */
export function joinShell(deps: JoinShellDeps): (request: FastifyRequest) => Promise<string | null> {
  const indexFile = join(deps.clientDir, 'index.html');
  return async (request) => {
    const url = new URL(request.url, 'http://localhost');
    const path = /^\/join\/([^/]+)\/?$/.exec(url.pathname);
    if (!path?.[1] || request.cookies[SESSION_COOKIE] !== undefined) return null;
    try {
      const code = decodeURIComponent(path[1]);
      const consent = await consentFirst(deps, code, url.searchParams.get('PROLIFIC_PID') ?? undefined);
      if (!consent) return null;
      // Read per request (a few kilobytes): a new build's index.html, with its new script names, is used at once.
      return renderConsentShell(await readFile(indexFile, 'utf8'), consent);
    } catch (error) {
      request.log.warn({ err: error }, 'join page: consent not pre-rendered, plain page sent');
      return null;
    }
  };
}
