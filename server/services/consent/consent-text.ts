import { createHash } from 'node:crypto';
import de from '../../../shared/i18n/locales/de.json' with { type: 'json' };
import en from '../../../shared/i18n/locales/en.json' with { type: 'json' };
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { ParticipantLanguage } from '../../../shared/schemas/participant-language.ts';
import { participantIntro } from '../studies/participant-intro.ts';

type Catalog = typeof en;
const CATALOGS: Record<ParticipantLanguage, Catalog> = { en, de };

/** The consent text a participant of a role is shown, in the study's participant language, and its SHA-256. */
export interface ShownConsent {
  language: ParticipantLanguage;
  text: string;
  sha256: string;
}

/** The role's built-in consent paragraphs, in the order the consent step has always shown them. */
function defaultParagraphs(catalog: Catalog, role: ParticipantRole): string[] {
  const d = catalog.consent.default;
  const middle =
    role === 'actor' ? [d.actorTask, d.actorData, d.actorPrivacy] : [d.raterTask, d.raterData, d.raterPrivacy];
  return [d.study, ...middle, d.voluntary];
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The exact text the consent step shows this role: the study's own text (trimmed, as the page shows it), else the
 * role's default from the message catalog in the study's language, its paragraphs separated by a blank line (the
 * page splits it there). The page renders this text as sent, so the hash the participant sends back names it.
 */
export function shownConsent(settings: LiveStudySettings | null, role: ParticipantRole): ShownConsent {
  const language = settings?.participantLanguage ?? 'en';
  const own = participantIntro(settings, role).consentText.trim();
  const text = own !== '' ? own : defaultParagraphs(CATALOGS[language], role).join('\n\n');
  return { language, text, sha256: sha256Hex(text) };
}
