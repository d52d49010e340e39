import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import de from '../../shared/i18n/locales/de.json';
import { PARTICIPANT_OUTCOMES } from '../../shared/schemas/participant-outcome.ts';
import { codeLead } from '../../client/src/features/participant/outcome-text.ts';
import { i18next } from '../../client/src/i18n/index.ts';

describe('the line above the completion code', () => {
  // The German catalog as the pages load it (setParticipantLanguage also sets <html lang>, which needs a DOM).
  beforeAll(() => i18next.addResourceBundle('de', 'translation', de));
  afterAll(() => i18next.changeLanguage('en'));

  it('promises pay for a completed task only', async () => {
    await i18next.changeLanguage('en');
    expect(codeLead('completed')).toBe('Your completion code — enter it on Prolific to be paid:');
    for (const outcome of PARTICIPANT_OUTCOMES.filter((o) => o !== 'completed')) {
      expect([outcome, codeLead(outcome)]).toEqual([outcome, 'Your completion code — enter it on Prolific:']);
    }
    // An end the server has not stored yet is not known to be a completion.
    expect(codeLead(null)).toBe('Your completion code — enter it on Prolific:');
  });

  it('says the same in German', async () => {
    await i18next.changeLanguage('de');
    expect(codeLead('completed')).toBe('Ihr Abschlusscode – geben Sie ihn auf Prolific ein, um vergütet zu werden:');
    expect(codeLead('screened_out')).toBe('Ihr Abschlusscode – geben Sie ihn auf Prolific ein:');
    expect(codeLead('no_work')).not.toMatch(/vergütet|bezahlt/);
  });
});
