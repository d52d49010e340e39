import { describe, expect, it } from 'vitest';
import { PARTICIPANT_LANGUAGES } from '../../shared/schemas/participant-language.ts';
import de from '../../shared/i18n/locales/de.json';
import en from '../../shared/i18n/locales/en.json';

/**
 * The participant catalogs (shared/i18n/locales): every language has exactly English's keys, each message has the
 * same {{placeholders}} (a translation that drops {{count}} would show no number), and no message is empty.
 */

const catalogs: Record<string, unknown> = { en, de };

/** Every message as [dotted key, text]; a value that is neither text nor a group is reported as such. */
function flatten(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [[prefix, `<not text: ${typeof node}>`]];
  return Object.entries(node).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/** i18next's plural forms differ by language (_one, _other, _few …): compared without their suffix. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string): string => key.replace(PLURAL, '');
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();

describe('participant message catalogs', () => {
  it('has a catalog for every language a study may choose', () => {
    expect(Object.keys(catalogs).sort()).toEqual([...PARTICIPANT_LANGUAGES].sort());
  });

  const english = new Map(flatten(en));
  for (const [language, catalog] of Object.entries(catalogs)) {
    const messages = flatten(catalog);

    it(`${language}: no message is empty or anything but text`, () => {
      const bad = messages.filter(([, text]) => text.trim() === '' || text.startsWith('<not text'));
      expect(bad).toEqual([]);
    });

    if (language === 'en') continue;

    it(`${language}: has exactly the English keys`, () => {
      const keys = new Set(messages.map(([key]) => base(key)));
      const englishKeys = new Set([...english.keys()].map(base));
      expect([...englishKeys].filter((k) => !keys.has(k))).toEqual([]);
      expect([...keys].filter((k) => !englishKeys.has(k))).toEqual([]);
    });

    it(`${language}: each message has the English message's placeholders`, () => {
      // A plural form is compared with the same form in English (English "_one" may say "a minute", no {{count}}).
      const englishPlaceholders = new Map<string, string[]>();
      for (const [key, text] of english) englishPlaceholders.set(key, placeholders(text));
      const mismatched = messages
        .filter(([key, text]) => {
          const expected = englishPlaceholders.get(key) ?? englishPlaceholders.get(`${base(key)}_other`);
          return expected !== undefined && placeholders(text).join(',') !== expected.join(',');
        })
        .map(([key, text]) => `${key}: ${text}`);
      expect(mismatched).toEqual([]);
    });
  }

  it('finds a dropped placeholder and a missing key (the checks can fail)', () => {
    expect(placeholders('Frage {{current}} von {{max}}')).toEqual(['current', 'max']);
    expect(placeholders('Frage von {{max}}')).not.toEqual(placeholders('Question {{current}} of {{max}}'));
    expect(flatten({ a: { b: '' } })).toEqual([['a.b', '']]);
  });
});
