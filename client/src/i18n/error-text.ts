import { ApiError, errorMessage } from '../http/request.ts';
import { i18next } from './index.ts';
import en from '../../../shared/i18n/locales/en.json';

type CatalogErrorCode = keyof typeof en.errors;

export function isCatalogErrorCode(code: string | null | undefined): code is CatalogErrorCode {
  return typeof code === 'string' && Object.hasOwn(en.errors, code);
}

/**
 * What a participant reads for a refusal with the closed `code` of shared/errors.ts (or `network`). In English the
 * server's own message is kept when there is one (it is often more specific); in any other language the catalog's
 * message for the code, so nobody reads English server prose in a German study.
 */
export function errorCodeText(code: string | null | undefined, serverMessage?: string): string {
  const english = i18next.language === 'en';
  if (english && serverMessage) return serverMessage;
  if (isCatalogErrorCode(code)) return i18next.t(`errors.${code}`);
  return english && serverMessage ? serverMessage : i18next.t('errors.internal');
}

/** The same for whatever a request threw (an ApiError with its code, or anything else). */
export function participantErrorText(err: unknown): string {
  if (err instanceof ApiError) return errorCodeText(err.code, err.message);
  return errorCodeText(null, errorMessage(err));
}
