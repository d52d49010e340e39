import 'i18next';
import type en from '../../../shared/i18n/locales/en.json';

// Typed keys: t('consent.title') is checked against the English catalog, so a misspelt key fails `tsc -b`.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
