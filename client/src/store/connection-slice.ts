import { bindSocket, type SocketRefusal } from '../realtime/socket-binding.ts';
import { getSocket } from '../realtime/socket.ts';
import { claimTab } from '../realtime/tab-claim.ts';
import { t } from '../i18n/index.ts';
import type { AppSlice } from './types.ts';

/**
 * `elsewhere`: the task is open in another tab of this participant (this one asks before taking it); `taken_over`:
 * another tab took it from this one (shared/protocol/tabs.ts). In both, this tab shows no task and sends nothing.
 */
export type Connection = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused' | 'elsewhere' | 'taken_over';

/** A participant's socket: connecting, which tab holds their task, and what the connection banner says. */
export interface ConnectionSlice {
  connection: Connection;
  connectionError: string | null;
  connectRealtime: () => void;
  onSocketConnected: (reconnected: boolean) => void;
  onSocketDropped: () => void;
  onSocketRefused: (reason: SocketRefusal) => void;
  /** Another tab took the task: stop here, forget the task in this tab's memory (the browser keeps the draft). */
  onTakenOver: () => void;
  /** The person chose to continue in this tab: take the task from the other one. */
  takeOverHere: () => void;
}

export const createConnectionSlice: AppSlice<ConnectionSlice> = (set, get) => {
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

  return {
    connection: 'idle',
    connectionError: null,

    connectRealtime: () => {
      const socket = getSocket();
      bindSocket(socket, get());
      // A tab whose task another tab took stays quiet until the person asks for it back (takeOverHere).
      if (socket.connected || socket.active || get().connection === 'taken_over') return;
      set({ connection: 'connecting', connectionError: null });
      socket.connect();
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
