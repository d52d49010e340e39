import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type { Invite } from '../http/research-schemas.ts';
import { errorMessage } from '../http/request.ts';
import { idle, loader, type Loadable } from './loadable.ts';
import type { AppSlice } from './types.ts';

const adminApi = () => import('../http/study-admin-api.ts');

/** Invitation links of the open study, one list for actors and raters. */
export interface InvitesSlice {
  invites: Loadable<Invite[]>;
  /** The role being created, or the code being revoked. */
  inviteBusy: string | null;
  inviteError: string | null;
  loadInvites: () => Promise<void>;
  createInvite: (role: ParticipantRole) => Promise<void>;
  revokeInvite: (code: string) => Promise<void>;
  resetInvites: () => void;
}

export const createInvitesSlice: AppSlice<InvitesSlice> = (set, get) => {
  const change = async (busy: string, call: (studyId: string) => Promise<void>): Promise<void> => {
    const studyId = get().selectedStudyId;
    if (studyId === null || get().inviteBusy !== null) return;
    set({ inviteBusy: busy, inviteError: null });
    try {
      await call(studyId);
      set({ inviteBusy: null });
      await get().loadInvites();
    } catch (err) {
      if (get().expireSessionOn(err)) return;
      set({ inviteBusy: null, inviteError: errorMessage(err) });
    }
  };

  return {
    invites: idle(),
    inviteBusy: null,
    inviteError: null,
    loadInvites: loader(set, get, 'invites', async (studyId, signal) =>
      (await adminApi()).fetchInvites(studyId, signal),
    ),
    createInvite: (role) =>
      change(role, async (studyId) => void (await (await adminApi()).createInvite(studyId, role))),
    revokeInvite: (code) => change(code, async (studyId) => (await adminApi()).revokeInvite(studyId, code)),
    resetInvites: () => set({ invites: idle(), inviteBusy: null, inviteError: null }),
  };
};
