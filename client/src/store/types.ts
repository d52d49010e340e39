import type { StateCreator } from 'zustand';
import type { AuthSlice } from './auth-slice.ts';
import type { ServerSlice } from './server-slice.ts';
import type { StudiesSlice } from './studies-slice.ts';

/** The whole client state: one store, composed of slices that may read each other through `get()`. */
export type AppState = AuthSlice & ServerSlice & StudiesSlice;

export type AppSlice<T> = StateCreator<AppState, [], [], T>;
