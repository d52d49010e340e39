import { describe, expect, it } from 'vitest';
import type { Invite } from '../../shared/schemas/api-studies.ts';
import {
  draftOf,
  inviteState,
  limitsBody,
  revokeSummary,
  toLocalInput,
  usageText,
} from '../../client/src/features/research/invites/invite-status.ts';

const NOW = new Date('2030-01-10T12:00:00.000Z');

function invite(over: Partial<Invite> = {}): Invite {
  return {
    code: 'c'.repeat(22),
    studyId: 's1',
    role: 'actor',
    createdAt: '2030-01-01T00:00:00.000Z',
    revoked: false,
    revokeMode: null,
    label: '',
    maxParticipants: null,
    expiresAt: null,
    participants: 0,
    midTask: 0,
    path: '/join/ccc',
    ...over,
  };
}

describe('an invite’s state in the console', () => {
  it('is revoked, expired, full or open, in that order, as the server decides at a join', () => {
    expect(inviteState(invite(), NOW)).toBe('open');
    expect(inviteState(invite({ maxParticipants: 3, participants: 2 }), NOW)).toBe('open');
    expect(inviteState(invite({ maxParticipants: 3, participants: 3 }), NOW)).toBe('full');
    expect(inviteState(invite({ expiresAt: '2030-01-10T12:00:00.000Z' }), NOW)).toBe('expired');
    expect(inviteState(invite({ expiresAt: '2030-01-10T12:00:00.001Z' }), NOW)).toBe('open');
    expect(
      inviteState(invite({ expiresAt: '2030-01-01T00:00:00.000Z', maxParticipants: 1, participants: 1 }), NOW),
    ).toBe('expired');
    expect(inviteState(invite({ revoked: true, revokeMode: 'finish', maxParticipants: 1, participants: 1 }), NOW)).toBe(
      'revoked',
    );
  });

  it('counts people joined against the cap', () => {
    expect(usageText(invite({ participants: 4 }))).toBe('4 joined');
    expect(usageText(invite({ participants: 4, maxParticipants: 20 }))).toBe('4 of 20 joined');
  });

  it('tells the revoke dialog how many joined and how many are mid-task', () => {
    expect(revokeSummary(invite())).toBe('Nobody has joined through this link yet.');
    expect(revokeSummary(invite({ participants: 1 }))).toBe(
      '1 person has joined through this link; none of them is mid-task now.',
    );
    expect(revokeSummary(invite({ participants: 12, midTask: 3 }))).toBe(
      '12 people have joined through this link; 3 of them are mid-task now (an assignment in hand).',
    );
    expect(revokeSummary(invite({ participants: 2, midTask: 1 }))).toMatch(/; 1 of them is mid-task now/);
  });
});

describe('the limits form', () => {
  it('starts from the link’s values, the expiry in local time', () => {
    expect(draftOf(invite())).toEqual({ label: '', maxParticipants: '', expiresAt: '' });
    const local = new Date(2030, 0, 31, 9, 5);
    expect(toLocalInput(local.toISOString())).toBe('2030-01-31T09:05');
    expect(draftOf(invite({ label: 'Pilot', maxParticipants: 20, expiresAt: local.toISOString() }))).toEqual({
      label: 'Pilot',
      maxParticipants: '20',
      expiresAt: '2030-01-31T09:05',
    });
  });

  it('turns the draft into a PATCH body: empty fields remove the cap and expiry', () => {
    expect(limitsBody({ label: '  Pilot ', maxParticipants: '', expiresAt: '' }, NOW)).toEqual({
      body: { label: 'Pilot', maxParticipants: null, expiresAt: null },
    });
    const local = new Date(2030, 5, 1, 18, 30);
    expect(limitsBody({ label: '', maxParticipants: '25', expiresAt: '2030-06-01T18:30' }, NOW)).toEqual({
      body: { label: '', maxParticipants: 25, expiresAt: local.toISOString() },
    });
  });

  it('names the field at fault', () => {
    const base = { label: '', maxParticipants: '', expiresAt: '' };
    expect(limitsBody({ ...base, label: 'x'.repeat(201) }, NOW)).toMatchObject({ field: 'label' });
    for (const cap of ['0', '-2', '2.5', 'ten']) {
      expect(limitsBody({ ...base, maxParticipants: cap }, NOW), cap).toMatchObject({ field: 'maxParticipants' });
    }
    expect(limitsBody({ ...base, expiresAt: '2020-01-01T00:00' }, NOW)).toEqual({
      field: 'expiresAt',
      message: 'This time has already passed.',
    });
  });
});
