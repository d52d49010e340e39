import { roleAllows, type StudyAccess, type StudyRole } from '../../../../shared/schemas/study-access.ts';

/**
 * Addresses inside the researcher console: `/` lists the studies, `/studies/<id>/<tab>` opens one on a tab. Kept in
 * the address (not only in the store) so the back button, reloads and shared links land on the same screen.
 *
 * Each tab names the least access it needs in the study (shared/schemas/study-access.ts); the console shows a tab
 * only to roles that `roleAllows`, the same rule the server enforces on the tab's routes.
 */

export const STUDY_TABS = [
  { id: 'settings', label: 'Settings', access: 'work' },
  { id: 'invites', label: 'Invites', access: 'work' },
  { id: 'records', label: 'Records', access: 'work' },
  { id: 'runs', label: 'Batch runs', access: 'work' },
  { id: 'live', label: 'Live monitor', access: 'work' },
  { id: 'assignments', label: 'Assignments', access: 'work' },
  { id: 'results', label: 'Results', access: 'view' },
  { id: 'exports', label: 'Exports', access: 'view' },
  { id: 'agreement', label: 'Agreement', access: 'view' },
  { id: 'sharing', label: 'Sharing', access: 'manage' },
  { id: 'audit', label: 'Audit log', access: 'manage' },
] as const satisfies readonly { id: string; label: string; access: StudyAccess }[];

export type StudyTab = (typeof STUDY_TABS)[number]['id'];

export type ConsoleRoute =
  { page: 'studies' } | { page: 'study'; studyId: string; tab: StudyTab } | { page: 'unknown' };

const isTab = (value: string): value is StudyTab => STUDY_TABS.some((t) => t.id === value);

export function consoleRoute(pathname: string): ConsoleRoute {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/studies') return { page: 'studies' };
  const match = /^\/studies\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!match?.[1]) return { page: 'unknown' };
  const tab = match[2] ?? 'settings';
  return isTab(tab) ? { page: 'study', studyId: decodeURIComponent(match[1]), tab } : { page: 'unknown' };
}

export function studyPath(studyId: string, tab: StudyTab = 'settings'): string {
  return `/studies/${encodeURIComponent(studyId)}/${tab}`;
}

/** The tabs `role` may use, in the order they are shown. */
export function tabsFor(role: StudyRole): (typeof STUDY_TABS)[number][] {
  return STUDY_TABS.filter((t) => roleAllows(role, t.access));
}

export function tabAllowed(tab: StudyTab, role: StudyRole): boolean {
  return tabsFor(role).some((t) => t.id === tab);
}

/** Where a study opens for `role`: its first usable tab (Settings for those who may work, Results for a viewer). */
export function defaultTab(role: StudyRole): StudyTab {
  return tabsFor(role)[0]?.id ?? 'results';
}
