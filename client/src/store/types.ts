import type { StateCreator } from 'zustand';
import type { AuthSlice } from './auth-slice.ts';
import type { ConnectionSlice } from './connection-slice.ts';
import type { ConsoleSlice } from './console-slice.ts';
import type { ParticipantSlice } from './participant-slice.ts';
import type { PlayReplySlice } from './play-reply-slice.ts';
import type { PlaySlice } from './play-slice.ts';
import type { RatingDraftSlice } from './rating-draft-slice.ts';
import type { RatingSlice } from './rating-slice.ts';

/** The whole client state: one store, composed of slices that may read each other through `get()`. */
export type AppState = AuthSlice &
  ConsoleSlice &
  ParticipantSlice &
  ConnectionSlice &
  PlaySlice &
  PlayReplySlice &
  RatingSlice &
  RatingDraftSlice;

export type AppSlice<T> = StateCreator<AppState, [], [], T>;
