import i18next, { type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ParticipantLanguage } from '../../../shared/schemas/participant-language.ts';
import en from '../../../shared/i18n/locales/en.json';

/**
 * The participant pages' message catalog (README.md here). English is bundled, so the first paint never waits for a
 * catalog; another language is fetched (its own small chunk) only when a study chooses it.
 */
void i18next.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: 'en',
  resources: { en: { translation: en } },
  // React escapes what it renders; escaping here as well would show &amp; etc.
  interpolation: { escapeValue: false },
  // Resources are in memory: initialise synchronously, so the first render already has its texts.
  initAsync: false,
});

// Each language other than English is its own chunk, imported only when a study asks for it.
const loaders: Record<Exclude<ParticipantLanguage, 'en'>, () => Promise<{ default: typeof en }>> = {
  de: () => import('../../../shared/i18n/locales/de.json'),
};

/** Switches the participant pages (and `<html lang>`) to `language`, loading its catalog first if needed. */
export async function setParticipantLanguage(language: ParticipantLanguage): Promise<void> {
  if (language !== 'en' && !i18next.hasResourceBundle(language, 'translation')) {
    const catalog = await loaders[language]();
    i18next.addResourceBundle(language, 'translation', catalog.default);
  }
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** The language participant pages are shown in right now. */
export function currentLanguage(): ParticipantLanguage {
  return i18next.language === 'de' ? 'de' : 'en';
}

/** For code outside React components (stores, plain helpers): the same catalog, current language. */
export const t: TFunction = i18next.t.bind(i18next) as TFunction;

export { Trans, useTranslation } from 'react-i18next';
export { i18next };
