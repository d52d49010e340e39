import { MAX_LIVE_LIST, type LiveListFilter } from '../live-storage.ts';

/**
 * The queries of LiveEpisodeStorage.listLive and countLive for both engines, with only the filter's own conditions in
 * them. Why not one statement with `(? IS NULL OR study_id = ?)`: such a condition keeps SQLite from using an index, so
 * every list read the whole episodes table and sorted it (10 ms for a study of 2,000 live episodes, on the live loop).
 * `placeholder(n)` writes the n-th parameter (1-based) in the engine's syntax; `orderBy` is the engine's sort key.
 */
export function liveListQuery(
  filter: LiveListFilter,
  placeholder: (n: number) => string,
  orderBy: string,
): { sql: string; params: unknown[] } {
  const { where, params } = liveListWhere(filter, placeholder);
  params.push(Math.min(filter.limit ?? MAX_LIVE_LIST, MAX_LIVE_LIST), filter.offset ?? 0);
  const sql = `SELECT * FROM episodes WHERE ${where} ORDER BY ${orderBy} DESC
    LIMIT ${placeholder(params.length - 1)} OFFSET ${placeholder(params.length)}`;
  return { sql, params };
}

/** The query of LiveEpisodeStorage.countLive: how many episodes the same filter matches, without a page. */
export function liveCountQuery(
  filter: LiveListFilter,
  placeholder: (n: number) => string,
): { sql: string; params: unknown[] } {
  const { where, params } = liveListWhere(filter, placeholder);
  return { sql: `SELECT COUNT(*) AS n FROM episodes WHERE ${where}`, params };
}

function liveListWhere(
  filter: LiveListFilter,
  placeholder: (n: number) => string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions = ['participant_id IS NOT NULL'];
  const where = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    params.push(value);
    conditions.push(`${column} = ${placeholder(params.length)}`);
  };
  where('study_id', filter.studyId);
  where('status', filter.status);
  where('participant_id', filter.participantId);
  where('assignment_id', filter.assignmentId);
  return { where: conditions.join(' AND '), params };
}
