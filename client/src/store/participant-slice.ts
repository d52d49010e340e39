import { isErrorCode, type ErrorCode } from '../../../shared/errors.ts';
import type { JoinBody } from '../../../shared/schemas/auth.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import type { ParticipantJourney } from '../../../shared/schemas/participant-outcome.ts';
import { navigate } from '../app/router.ts';
import { firstJoinStep } from '../features/participant/first-join-step.ts';
import { fetchJourney, joinStudy, sendConsent, sendScreeningAnswer } from '../features/participant/join-api.ts';
import { fetchIdentity } from '../http/auth-api.ts';
import { participantErrorText } from '../i18n/error-text.ts';
import { setParticipantLanguage, t } from '../i18n/index.ts';
import { ApiError } from '../http/request.ts';
import { bindSocket, type SocketRefusal } from '../realtime/socket-binding.ts';
import { getSocket } from '../realtime/socket.ts';
import { claimTab } from '../realtime/tab-claim.ts';
import { memory, type Finish } from './session-memory.ts';
import type { AppSlice } from './types.ts';

export type Participant = Extract<Identity, { kind: 'participant' }>;

/**
 * Where a participant is on the way in: joining, then the screening question (when the study asks one), consent,
 * instructions and (actors) a practice round. `declined`: they did not agree to the consent, and the page says so.
 */
export type JoinStep =
  'idle' | 'joining' | 'screening' | 'consent' | 'declined' | 'instructions' | 'practice' | 'failed';
/**
 * `elsewhere`: the task is open in another tab of this participant (this one asks before taking it); `taken_over`:
 * another tab took it from this one (shared/protocol/tabs.ts). In both, this tab shows no task and sends nothing.
 */
export type Connection = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'elsewhere' | 'taken_over';

/** The participant's session: joining through the invitation link, who they are, and the socket's state. */
export interface ParticipantSlice {
  participant: Participant | null;
  /** `none`: this browser holds no participant session (the page says to open the invitation link). */
  participantStatus: 'unknown' | 'checking' | 'ready' | 'none' | 'error';
  participantError: string | null;
  joinStep: JoinStep;
  joinError: string | null;
  consentText: string | null;
  /** Why the consent decision was not stored (the study changed its text, a network failure); null when it was. */
  consentError: string | null;
  connection: Connection;
  connectionError: string | null;
  /** How the participant finished (completion code), kept across reloads; the done page shows it. */
  finish: Finish | null;
  /** The server's view of the participant's way through the study, with their stored end (GET /api/participant/journey). */
  journey: ParticipantJourney | null;
  journeyStatus: 'idle' | 'loading' | 'ready' | 'error';
  joinWithInvite: (code: string, body: JoinBody) => Promise<void>;
  answerScreening: (answer: 'yes' | 'no') => Promise<void>;
  loadJourney: () => Promise<ParticipantJourney | null>;
  /** Sends the agreement to the text the journey carries; on success the instructions come next. */
  acceptConsent: () => Promise<void>;
  /** Sends the refusal: the server keeps only it, and the page says the participant chose not to take part. */
  declineConsent: () => Promise<void>;
  finishInstructions: () => void;
  finishPractice: () => void;
  loadParticipant: () => Promise<void>;
  connectRealtime: () => void;
  setFinish: (finish: Finish) => void;
  onSocketConnected: (reconnected: boolean) => void;
  onSocketDropped: () => void;
  onSocketRefused: (reason: SocketRefusal) => void;
  /** Another tab took the task: stop here, forget the task in this tab's memory (the browser keeps the draft). */
  onTakenOver: () => void;
  /** The person chose to continue in this tab: take the task from the other one. */
  takeOverHere: () => void;
}

// The join page's own words for the refusals a link can get (catalog: join.errors.*).
const JOIN_ERRORS = ['invalid_invite', 'study_paused', 'study_closed', 'role_conflict', 'rate_limited'] as const;
type JoinErrorCode = (typeof JOIN_ERRORS)[number];
const isJoinError = (code: ErrorCode): code is JoinErrorCode => (JOIN_ERRORS as readonly string[]).includes(code);

/** A link that takes nobody new (the server's `details.reason`); people who joined before can still come back. */
const INVITE_LIMITS = ['full', 'expired', 'withdrawn'] as const;
type InviteLimit = (typeof INVITE_LIMITS)[number];
const isInviteLimit = (reason: unknown): reason is InviteLimit =>
  typeof reason === 'string' && (INVITE_LIMITS as readonly string[]).includes(reason);

export function joinErrorText(err: unknown): string {
  const code = err instanceof ApiError ? err.code : null;
  const reason = err instanceof ApiError && code === 'invalid_invite' ? err.details?.reason : undefined;
  if (isInviteLimit(reason)) return t('join.comeBack', { reason: t(`join.limits.${reason}`) });
  // A study that checks the Prolific ID's format refuses one that is not (join-study.ts): say so in the page's language.
  if (err instanceof ApiError && code === 'invalid_payload' && err.issues.some((i) => i.path === '$.PROLIFIC_PID')) {
    return t('join.badProlificId');
  }
  if (isErrorCode(code) && isJoinError(code)) return t(`join.errors.${code}`);
  return participantErrorText(err);
}

export const createParticipantSlice: AppSlice<ParticipantSlice> = (set, get) => {
  // StrictMode runs mount effects twice; one identity check at a time is enough.
  let checking: Promise<void> | null = null;

  const becomeParticipant = (p: Participant): void => {
    const same = get().participant?.participantId === p.participantId;
    set({
      participant: p,
      participantStatus: 'ready',
      participantError: null,
      finish: memory.finish(p.participantId),
      ...(same ? {} : { journey: null, journeyStatus: 'idle' as const }),
    });
  };

  // The person chose "continue here" while the socket was closed: the next connection takes the task over.
  let takeOverOnConnect = false;

  /**
   * Every connection first claims the task for this tab (shared/protocol/tabs.ts); only an active tab plays or rates.
   * Another tab holding the task is not an error: this one asks the person (participant-gate.tsx).
   */
  const claimThenGo = async (takeOver: boolean, reconnected: boolean): Promise<void> => {
    const state = await claimTab(takeOver);
    // Dropped meanwhile: the next connection claims again.
    if (!getSocket().connected) return;
    if (state === 'open_elsewhere') return set({ connection: 'elsewhere', connectionError: null });
    set({ connection: 'connected', connectionError: null });
    const p = get().participant;
    if (p?.role === 'actor') get().playOnConnect(reconnected);
    else if (p?.role === 'rater') get().ratingOnConnect();
  };

  // One journey request at a time (the join flow and the done page may both ask).
  let journeyRequest: Promise<ParticipantJourney | null> | null = null;

  /** A stored end goes to the done page: returning people see their code again instead of starting over. */
  const showEnd = (j: ParticipantJourney): boolean => {
    if (!j.outcome) return false;
    navigate('/done', { replace: true });
    return true;
  };

  /**
   * Stores the decision on the text the page shows (the journey's, named by its hash). The server refuses a hash of a
   * text it no longer shows: the new text is loaded and the participant reads it again.
   */
  const decideConsent = async (agreed: boolean): Promise<void> => {
    const p = get().participant;
    if (!p) return;
    const journey = get().journey ?? (await get().loadJourney());
    if (!journey) {
      set({ consentError: t('consent.sendFailed') });
      return;
    }
    try {
      const next = await sendConsent({ agreed, sha256: journey.consent.sha256 });
      set({ journey: next, consentError: null });
      if (!agreed) return set({ joinStep: 'declined' });
      // The browser remembers it too: a reload goes on even before the journey has come back.
      memory.markStep(p.participantId, 'consent');
      set({ joinStep: 'instructions' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        await get().loadJourney();
        set({ consentError: t('consent.changed') });
      } else {
        set({ consentError: participantErrorText(err) });
      }
    }
  };

  return {
    participant: null,
    participantStatus: 'unknown',
    participantError: null,
    joinStep: 'idle',
    joinError: null,
    consentText: null,
    consentError: null,
    connection: 'idle',
    connectionError: null,
    finish: null,
    journey: null,
    journeyStatus: 'idle',

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
        const done = {
          consent: memory.stepDone(p.participantId, 'consent'),
          instructions: memory.stepDone(p.participantId, 'instructions'),
          practice: memory.stepDone(p.participantId, 'practice'),
        };
        set({ consentText: joined.consentText?.trim() || null });
        const step = firstJoinStep(done, await get().loadJourney(), p.role);
        if (step === 'done') navigate('/done', { replace: true });
        // A returning participant (Back, a reload, the link again) goes straight back to their task.
        else if (step === 'task') navigate(p.role === 'rater' ? '/rate' : '/play', { replace: true });
        else set({ joinStep: step });
      } catch (err) {
        set({ joinStep: 'failed', joinError: joinErrorText(err) });
      }
    },

    loadJourney: () => {
      journeyRequest ??= (async () => {
        set({ journeyStatus: 'loading' });
        try {
          const journey = await fetchJourney();
          // The study's language first, so no page shows English texts and then switches.
          await setParticipantLanguage(journey.participantLanguage).catch(() => undefined);
          set({ journey, journeyStatus: 'ready' });
          return journey;
        } catch {
          set({ journeyStatus: 'error' });
          return null;
        }
      })().finally(() => {
        journeyRequest = null;
      });
      return journeyRequest;
    },

    answerScreening: async (answer) => {
      try {
        const journey = await sendScreeningAnswer(answer);
        set({ journey, journeyStatus: 'ready' });
        if (!showEnd(journey)) set({ joinStep: 'consent' });
      } catch (err) {
        set({ joinStep: 'failed', joinError: participantErrorText(err) });
      }
    },

    acceptConsent: () => decideConsent(true),
    declineConsent: () => decideConsent(false),

    finishInstructions: () => {
      const p = get().participant;
      if (!p) return;
      memory.markStep(p.participantId, 'instructions');
      // Each step replaces the link's history entry: the study is one entry, so Back never lands on a step already
      // done (which used to open the link again); it leaves the study, and coming back returns to the task.
      if (p.role === 'rater') return navigate('/rate', { replace: true });
      // Someone who already practised in this browser goes straight to the task.
      if (memory.stepDone(p.participantId, 'practice')) return navigate('/play', { replace: true });
      set({ joinStep: 'practice' });
    },

    finishPractice: () => {
      const p = get().participant;
      if (p) memory.markStep(p.participantId, 'practice');
      navigate('/play', { replace: true });
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
          set({ participantStatus: 'error', participantError: participantErrorText(err) });
        }
      })().finally(() => {
        checking = null;
      });
      return checking;
    },

    connectRealtime: () => {
      const socket = getSocket();
      bindSocket(socket, get());
      // A tab whose task another tab took stays quiet until the person asks for it back (takeOverHere).
      if (socket.connected || socket.active || get().connection === 'taken_over') return;
      set({ connection: 'connecting', connectionError: null });
      socket.connect();
    },

    setFinish: (finish) => {
      const p = get().participant;
      if (p) memory.saveFinish(p.participantId, finish);
      set({ finish });
    },

    onSocketConnected: (reconnected) => {
      const takeOver = takeOverOnConnect;
      takeOverOnConnect = false;
      void claimThenGo(takeOver, reconnected);
    },

    onTakenOver: () => {
      set({ connection: 'taken_over', connectionError: null });
      get().resetPlay();
      get().resetRating();
      // Closed by this tab on purpose: no reconnecting, no "connection lost" banner.
      getSocket().disconnect();
    },

    takeOverHere: () => {
      const socket = getSocket();
      set({ connection: 'connecting', connectionError: null });
      if (socket.connected) return void claimThenGo(true, true);
      takeOverOnConnect = true;
      socket.connect();
    },

    // Socket.IO retries by itself (with back-off); the banner says so, on a first connection as after a drop.
    onSocketDropped: () => {
      if (get().connection !== 'refused' && get().connection !== 'taken_over') set({ connection: 'reconnecting' });
    },

    onSocketRefused: (reason) => set({ connection: 'refused', connectionError: t(`connection.refused.${reason}`) }),
  };
};
