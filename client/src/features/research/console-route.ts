/**
 * Addresses inside the researcher console: `/` lists the studies, `/studies/<id>/<tab>` opens one on a tab. Kept in
 * the address (not only in the store) so the back button, reloads and shared links land on the same screen.
 */

export const STUDY_TABS = [
  { id: 'settings', label: 'Settings' },
  { id: 'invites', label: 'Invites' },
  { id: 'records', label: 'Records' },
  { id: 'runs', label: 'Batch runs' },
  { id: 'live', label: 'Live monitor' },
  { id: 'assignments', label: 'Assignments' },
  { id: 'results', label: 'Results' },
  { id: 'exports', label: 'Exports' },
  { id: 'agreement', label: 'Agreement' },
] as const;

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
