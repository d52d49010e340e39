import type { SetupBody } from '../../../shared/schemas/api-auth.ts';
import type { LoginBody } from '../../../shared/schemas/auth.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import { createFirstResearcher, fetchIdentity, fetchSetupStatus, login, logout } from '../http/auth-api.ts';
import { ApiError, errorMessage, isUnauthenticated } from '../http/request.ts';
import type { AppSlice } from './types.ts';

export type ResearcherIdentity = Extract<Identity, { kind: 'researcher' }>;

/**
 * Which screen the app shows: `checking` while asking the server, `setup` when no researcher account exists yet,
 * `signed-out` for the sign-in card, `signed-in` for the research screens, `unavailable` when the check failed.
 */
export type AuthStatus = 'checking' | 'setup' | 'signed-out' | 'signed-in' | 'unavailable';

/** The researcher's session: who is signed in, and signing in, out, and creating the first account. */
export interface AuthSlice {
  authStatus: AuthStatus;
  researcher: ResearcherIdentity | null;
  /** Whether this browser runs on the server's machine, the only place the first account may be created from. */
  setupFromThisMachine: boolean;
  /** A sign-in, setup or sign-out request is in flight. */
  authBusy: boolean;
  /** The server's message for the last failed auth request. */
  authError: string | null;
  /** Why the sign-in card is showing (signed out, session expired, …); null on a plain first visit. */
  authNotice: string | null;
  checkSession: () => Promise<void>;
  /** Resolve to true once signed in, false when the server refused (the reason is in authError). */
  signIn: (credentials: LoginBody) => Promise<boolean>;
  createFirstAccount: (credentials: SetupBody) => Promise<boolean>;
  signOut: () => Promise<void>;
  dismissAuthError: () => void;
  /** For research calls: when `err` is a 401, go back to the sign-in card and return true. */
  expireSessionOn: (err: unknown) => boolean;
}

const NOTICE = {
  participant: 'This browser holds a study participant’s session. Sign in with a researcher account to see studies.',
  signedOut: 'You have signed out.',
  expired: 'Your session has ended. Sign in again to continue.',
} as const;

export const createAuthSlice: AppSlice<AuthSlice> = (set, get) => {
  // React's StrictMode runs mount effects twice in development; one check at a time is enough.
  let checking: Promise<void> | null = null;

  const signedIn = (identity: Identity): boolean => {
    if (identity.kind !== 'researcher') {
      set({ authBusy: false, authError: 'This account is not a researcher account.' });
      return false;
    }
    set({ authStatus: 'signed-in', researcher: identity, authBusy: false, authError: null, authNotice: null });
    return true;
  };

  const check = async (): Promise<void> => {
    set({ authStatus: 'checking', authError: null });
    try {
      const identity = await fetchIdentity();
      if (identity?.kind === 'researcher') {
        set({ authStatus: 'signed-in', researcher: identity });
        return;
      }
      const setup = await fetchSetupStatus();
      set({
        authStatus: setup.setupNeeded ? 'setup' : 'signed-out',
        setupFromThisMachine: setup.fromThisMachine,
        researcher: null,
        authNotice: identity ? NOTICE.participant : get().authNotice,
      });
    } catch (err) {
      set({ authStatus: 'unavailable', authError: errorMessage(err) });
    }
  };

  return {
    authStatus: 'checking',
    researcher: null,
    setupFromThisMachine: false,
    authBusy: false,
    authError: null,
    authNotice: null,

    checkSession: () => {
      checking ??= check().finally(() => {
        checking = null;
      });
      return checking;
    },

    signIn: async (credentials) => {
      set({ authBusy: true, authError: null });
      try {
        return signedIn(await login(credentials));
      } catch (err) {
        set({ authBusy: false, authError: errorMessage(err) });
        return false;
      }
    },

    createFirstAccount: async (credentials) => {
      set({ authBusy: true, authError: null });
      try {
        return signedIn(await createFirstResearcher(credentials));
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          // Someone created the first account meanwhile: sign in with it instead.
          set({ authStatus: 'signed-out', authBusy: false, authNotice: err.message });
        } else {
          set({ authBusy: false, authError: errorMessage(err) });
        }
        return false;
      }
    },

    signOut: async () => {
      set({ authBusy: true, authError: null });
      try {
        await logout();
      } catch (err) {
        set({ authBusy: false, authError: `Could not sign out: ${errorMessage(err)}` });
        return;
      }
      get().resetStudies();
      set({ authStatus: 'signed-out', researcher: null, authBusy: false, authNotice: NOTICE.signedOut });
    },

    dismissAuthError: () => set({ authError: null }),

    expireSessionOn: (err) => {
      if (!isUnauthenticated(err)) return false;
      if (get().authStatus === 'signed-in') {
        get().resetStudies();
        set({
          authStatus: 'signed-out',
          researcher: null,
          authBusy: false,
          authError: null,
          authNotice: NOTICE.expired,
        });
      }
      return true;
    },
  };
};
