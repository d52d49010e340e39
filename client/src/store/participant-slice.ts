import { isErrorCode, type ErrorCode } from '../../../shared/errors.ts';
import type { JoinBody } from '../../../shared/schemas/auth.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import { navigate } from '../app/router.ts';
import { joinStudy } from '../features/participant/join-api.ts';
import { fetchIdentity } from '../http/auth-api.ts';
import { ApiError, errorMessage } from '../http/request.ts';
import { bindSocket, type SocketRefusal } from '../realtime/socket-binding.ts';
import { getSocket } from '../realtime/socket.ts';
import { memory, type Finish } from './session-memory.ts';
import type { AppSlice } from './types.ts';

export type Participant = Extract<Identity, { kind: 'participant' }>;

/** Where a participant is on the way in: joining, then consent, instructions and (actors) a practice round. */
export type JoinStep = 'idle' | 'joining' | 'consent' | 'instructions' | 'practice' | 'failed';
export type Connection = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

/** The participant's session: joining through the invitation link, who they are, and the socket's state. */
export interface ParticipantSlice {
  participant: Participant | null;
  /** `none`: this browser holds no participant session (the page says to open the invitation link). */
  participantStatus: 'unknown' | 'checking' | 'ready' | 'none' | 'error';
  participantError: string | null;
  joinStep: JoinStep;
  joinError: string | null;
  consentText: string | null;
  connection: Connection;
  connectionError: string | null;
  /** How the participant finished (completion code), kept across reloads; the done page shows it. */
  finish: Finish | null;
  joinWithInvite: (code: string, body: JoinBody) => Promise<void>;
  acceptConsent: () => void;
  finishInstructions: () => void;
  finishPractice: () => void;
  loadParticipant: () => Promise<void>;
  connectRealtime: () => void;
  setFinish: (finish: Finish) => void;
  onSocketConnected: (reconnected: boolean) => void;
  onSocketDropped: () => void;
  onSocketRefused: (reason: SocketRefusal) => void;
}

const JOIN_ERRORS: Partial<Record<ErrorCode, string>> = {
  invalid_invite: 'This invitation link is not valid or has been withdrawn. Check that you copied the whole link.',
  study_paused: 'This study is paused at the moment. Please try again later.',
  study_closed: 'This study has closed and takes no more participants.',
  role_conflict: 'You have already joined this study in another role, so you cannot join through this link.',
  rate_limited: 'Too many attempts from your network. Wait a minute and reload the page.',
};

const REFUSALS: Record<SocketRefusal, string> = {
  unsupported_protocol: 'This page is out of date. Reload it to continue.',
  cross_origin: 'The server refused this page’s connection (it was opened from another address).',
  server_disconnect: 'The server ended this session. Open your invitation link again to continue.',
  unauthenticated: 'Your session has ended. Open your invitation link again to continue.',
  internal: 'The server could not check your session. Reload the page to try again.',
};

export const createParticipantSlice: AppSlice<ParticipantSlice> = (set, get) => {
  // StrictMode runs mount effects twice; one identity check at a time is enough.
  let checking: Promise<void> | null = null;

  const becomeParticipant = (p: Participant): void => {
    set({ participant: p, participantStatus: 'ready', participantError: null, finish: memory.finish(p.participantId) });
  };

  return {
    participant: null,
    participantStatus: 'unknown',
    participantError: null,
    joinStep: 'idle',
    joinError: null,
    consentText: null,
    connection: 'idle',
    connectionError: null,
    finish: null,

    joinWithInvite: async (code, body) => {
      if (get().joinStep === 'joining') return;
      set({ joinStep: 'joining', joinError: null });
      try {
        const joined = await joinStudy(code, body);
        const p: Participant = {
          kind: 'participant',
          participantId: joined.participantId,
          studyId: joined.studyId,
          role: joined.role,
        };
        const before = get().participant;
        if (before && before.participantId !== p.participantId) {
          // The socket still speaks for the previous session (identity is fixed at the handshake): start afresh.
          getSocket().disconnect();
          set({ connection: 'idle', connectionError: null });
          get().resetPlay();
          get().resetRating();
        }
        becomeParticipant(p);
        const consented = memory.stepDone(p.participantId, 'consent');
        set({ consentText: joined.consentText?.trim() || null, joinStep: consented ? 'instructions' : 'consent' });
      } catch (err) {
        const code = err instanceof ApiError ? err.code : null;
        set({
          joinStep: 'failed',
          joinError: (isErrorCode(code) ? JOIN_ERRORS[code] : undefined) ?? errorMessage(err),
        });
      }
    },

    acceptConsent: () => {
      const p = get().participant;
      if (!p) return;
      memory.markStep(p.participantId, 'consent');
      set({ joinStep: 'instructions' });
    },

    finishInstructions: () => {
      const p = get().participant;
      if (!p) return;
      if (p.role === 'rater') return navigate('/rate');
      // Someone who already practised in this tab (and reloaded) goes straight to the task.
      if (memory.stepDone(p.participantId, 'practice')) return navigate('/play');
      set({ joinStep: 'practice' });
    },

    finishPractice: () => {
      const p = get().participant;
      if (p) memory.markStep(p.participantId, 'practice');
      navigate('/play');
    },

    loadParticipant: () => {
      if (get().participantStatus === 'ready') return Promise.resolve();
      checking ??= (async () => {
        set({ participantStatus: 'checking', participantError: null });
        try {
          const identity = await fetchIdentity();
          if (identity?.kind === 'participant') becomeParticipant(identity);
          else set({ participantStatus: 'none' });
        } catch (err) {
          set({ participantStatus: 'error', participantError: errorMessage(err) });
        }
      })().finally(() => {
        checking = null;
      });
      return checking;
    },

    connectRealtime: () => {
      const socket = getSocket();
      bindSocket(socket, get());
      if (socket.connected || socket.active) return;
      set({ connection: 'connecting', connectionError: null });
      socket.connect();
    },

    setFinish: (finish) => {
      const p = get().participant;
      if (p) memory.saveFinish(p.participantId, finish);
      set({ finish });
    },

    onSocketConnected: (reconnected) => {
      set({ connection: 'connected', connectionError: null });
      const p = get().participant;
      if (p?.role === 'actor') get().playOnConnect(reconnected);
      else if (p?.role === 'rater') get().ratingOnConnect();
    },

    // Socket.IO retries by itself (with back-off); the banner says so, on a first connection as after a drop.
    onSocketDropped: () => {
      if (get().connection !== 'refused') set({ connection: 'reconnecting' });
    },

    onSocketRefused: (reason) => set({ connection: 'refused', connectionError: REFUSALS[reason] }),
  };
};
