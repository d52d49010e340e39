import type { Invite, UpdateInviteBody } from '../../../../../shared/schemas/api-studies.ts';
import { plural } from '../format.ts';

/** Whether a link admits new people now, and if not, why (the server decides the same way when someone joins). */
export type InviteState = 'open' | 'full' | 'expired' | 'revoked';

export function inviteState(invite: Invite, now: Date = new Date()): InviteState {
  if (invite.revoked) return 'revoked';
  if (invite.expiresAt !== null && Date.parse(invite.expiresAt) <= now.getTime()) return 'expired';
  if (invite.maxParticipants !== null && invite.participants >= invite.maxParticipants) return 'full';
  return 'open';
}

/** "3 joined", "3 of 20 joined". */
export function usageText(invite: Invite): string {
  return invite.maxParticipants === null
    ? `${invite.participants} joined`
    : `${invite.participants} of ${invite.maxParticipants} joined`;
}

/** What the revoke dialog says about the people a revoke affects. */
export function revokeSummary(invite: Invite): string {
  if (invite.participants === 0) return 'Nobody has joined through this link yet.';
  const joined = `${plural(invite.participants, 'person has', 'people have')} joined through this link`;
  if (invite.midTask === 0) return `${joined}; none of them is mid-task now.`;
  const verb = invite.midTask === 1 ? 'is' : 'are';
  return `${joined}; ${invite.midTask} of them ${verb} mid-task now (an assignment in hand).`;
}

/** The limits form as typed: strings, so a cleared field can mean "no cap" or "no expiry". */
export interface LimitsDraft {
  label: string;
  maxParticipants: string;
  /** A `datetime-local` value (the researcher's local time), '' for none. */
  expiresAt: string;
}

/** `2030-01-31T09:05` in local time, as a `datetime-local` input shows it. */
export function toLocalInput(iso: string | null): string {
  if (iso === null) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function draftOf(invite: Invite | null): LimitsDraft {
  return {
    label: invite?.label ?? '',
    maxParticipants: invite?.maxParticipants === null || !invite ? '' : String(invite.maxParticipants),
    expiresAt: toLocalInput(invite?.expiresAt ?? null),
  };
}

/**
 * The body for PATCH, or the field and message to show at the form. The server checks again (a cap is a whole
 * number from 1, an expiry lies ahead); checking here only saves a round trip.
 */
export function limitsBody(
  draft: LimitsDraft,
  now: Date = new Date(),
): { body: Required<UpdateInviteBody> } | { field: keyof LimitsDraft; message: string } {
  const label = draft.label.trim();
  if (label.length > 200) return { field: 'label', message: 'At most 200 characters.' };
  let maxParticipants: number | null = null;
  if (draft.maxParticipants.trim() !== '') {
    maxParticipants = Number(draft.maxParticipants);
    if (!Number.isInteger(maxParticipants) || maxParticipants < 1) {
      return { field: 'maxParticipants', message: 'A whole number from 1, or empty for no cap.' };
    }
  }
  let expiresAt: string | null = null;
  if (draft.expiresAt !== '') {
    const at = new Date(draft.expiresAt);
    if (Number.isNaN(at.getTime())) return { field: 'expiresAt', message: 'Not a date and time.' };
    if (at.getTime() <= now.getTime()) return { field: 'expiresAt', message: 'This time has already passed.' };
    expiresAt = at.toISOString();
  }
  return { body: { label, maxParticipants, expiresAt } };
}
