import { z } from 'zod';

/**
 * The languages participant pages can be shown in (docs/participant-languages.md). A study picks one; the client has
 * a message catalog for each (shared/i18n/locales/<code>.json). English is the default and always bundled.
 */
export const PARTICIPANT_LANGUAGES = ['en', 'de'] as const;
export const ParticipantLanguageSchema = z.enum(PARTICIPANT_LANGUAGES);
export type ParticipantLanguage = z.infer<typeof ParticipantLanguageSchema>;
