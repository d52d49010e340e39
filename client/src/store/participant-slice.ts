import type { JoinBody } from '../../../shared/schemas/auth.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import type { ParticipantJourney } from '../../../shared/schemas/participant-outcome.ts';
import { navigate } from '../app/router.ts';
import { firstJoinStep } from '../features/participant/first-join-step.ts';
import { fetchJourney, joinStudy, sendConsent, sendScreeningAnswer } from '../features/participant/join-api.ts';
import { joinErrorText } from '../features/participant/join-error-text.ts';
import { fetchIdentity } from '../http/auth-api.ts';
import { participantErrorText } from '../i18n/error-text.ts';
import { setParticipantLanguage, t } from '../i18n/index.ts';
import { ApiError } from '../http/request.ts';
import { getSocket } from '../realtime/socket.ts';
import { memory, type Finish } from './session-memory.ts';
import type { AppSlice } from './types.ts';

export type Participant = Extract<Identity, { kind: 'participant' }>;

/**
 * Where a participant is on the way in: joining, then the screening question (when the study asks one), consent,
 * instructions and (actors) a practice round. `declined`: they did not agree to the consent, and the page says so.
 */
export type JoinStep =
  'idle' | 'joining' | 'screening' | 'consent' | 'declined' | 'instructions' | 'practice' | 'failed';
/** The participant's session: joining through the invitation link, and who they are (the socket: connection-slice). */
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
  setFinish: (finish: Finish) => void;
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

    setFinish: (finish) => {
      const p = get().participant;
      if (p) memory.saveFinish(p.participantId, finish);
      set({ finish });
    },
  };
};
