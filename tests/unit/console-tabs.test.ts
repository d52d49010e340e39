import { describe, expect, it } from 'vitest';
import { consoleRoute, defaultTab, tabAllowed, tabsFor } from '../../client/src/features/research/console-route.ts';

// The console shows a study's tabs by the researcher's role there, using the contract's roleAllows.

const ids = (role: Parameters<typeof tabsFor>[0]): string[] => tabsFor(role).map((t) => t.id);

describe('study tabs by role', () => {
  it('gives a viewer the read tabs only, opening on Results', () => {
    expect(ids('viewer')).toEqual(['results', 'exports', 'agreement']);
    expect(defaultTab('viewer')).toBe('results');
  });

  it('gives a collaborator every tab but Sharing and Audit log, opening on Settings', () => {
    expect(ids('collaborator')).toEqual([
      'settings',
      'invites',
      'records',
      'runs',
      'live',
      'assignments',
      'results',
      'exports',
      'agreement',
    ]);
    expect(defaultTab('collaborator')).toBe('settings');
  });

  it('gives an owner all eleven tabs', () => {
    expect(ids('owner')).toHaveLength(11);
    expect(ids('owner').slice(-2)).toEqual(['sharing', 'audit']);
    expect(defaultTab('owner')).toBe('settings');
  });

  it('refuses a deep link to a tab the role may not use, which the page replaces with the default', () => {
    expect(consoleRoute('/studies/s1/audit')).toEqual({ page: 'study', studyId: 's1', tab: 'audit' });
    expect(tabAllowed('audit', 'collaborator')).toBe(false);
    expect(tabAllowed('settings', 'viewer')).toBe(false);
    expect(tabAllowed('exports', 'viewer')).toBe(true);
    expect(tabAllowed('sharing', 'owner')).toBe(true);
  });
});
