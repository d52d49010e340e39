import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppError } from '../../../shared/errors.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-hash.ts';

/**
 * How hard a new password is to guess, by zxcvbn-ts (a maintained port of Dropbox's estimator): it finds dictionary
 * words, common passwords, names, keyboard patterns, repeats, sequences and dates, and scores the cheapest way to guess
 * the whole password from 0 (too guessable) to 4 (very unguessable). A length rule alone let `aaaaaaaaaa`, ten spaces
 * and `<username>12345` through.
 */

/** Score 3 ("safely unguessable": about 10^10 guesses) is zxcvbn's recommendation for accounts on a public server. */
export const MIN_PASSWORD_SCORE = 3;

/** Words anyone attacking this app tries first, scored like the username: containing them earns nothing. */
const APP_WORDS = ['prefdisco', 'prefdisco live', 'researcher', 'admin', 'administrator'];

let estimator: Promise<ZxcvbnFactory> | null = null;

/**
 * Loaded on first use, once: the dictionaries are a few MB of word lists, which the server needs only when an account
 * is created, and the CLI's other commands never.
 */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    // Levenshtein matching stays off: it made one check take about a second of event-loop time.
    return new ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
  })();
  return estimator;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * Refuses a new account password with `weak_password`: outside the length bounds, or scored below
 * MIN_PASSWORD_SCORE with the username and the app's own words counted as known to an attacker. The message says why
 * (zxcvbn's warning) and what to do (its suggestions).
 */
export async function assertStrongPassword(password: string, username: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new AppError('weak_password', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new AppError('weak_password', `the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  const userInputs = [username.trim(), ...APP_WORDS].filter((word) => word !== '');
  const result = (await loadEstimator()).check(password, userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const why = result.feedback.warning ? ` ${sentence(result.feedback.warning)}` : '';
  const advice = [...result.feedback.suggestions, 'A few unrelated words, or a password manager, make a strong one.']
    .map(sentence)
    .join(' ');
  throw new AppError('weak_password', `the password is too easy to guess.${why} ${advice}`);
}
