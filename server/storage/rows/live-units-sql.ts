/**
 * The queries of LiveEpisodeStorage.units for both engines: the units participants hold in a study, found by the
 * database. A unit is a running live episode of the study, or the newest episode of an assignment (play lease) still
 * leased with nothing running on it, which its person left without giving it back. Before, the live loop read the
 * study's newest 1,000 live episodes and then each ended one's lease on its own (99 ms p50 per poll of the monitor at
 * 1,000 persons playing), and missed units whose episodes were older than those 1,000.
 * `placeholder(n)` writes the n-th parameter (1-based) in the engine's syntax; `orderBy(column)` the engine's sort key
 * of a time column (PostgreSQL compares the ISO text byte by byte, as everywhere else).
 */
export function liveUnitsQueries(
  studyId: string,
  page: { offset: number; limit: number },
  placeholder: (n: number) => string,
  orderBy: (column: string) => string,
): { list: { sql: string; params: unknown[] }; count: { sql: string; params: unknown[] } } {
  // Each use of a value gets its own parameter (SQLite's `?` binds in order of appearance).
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return placeholder(params.length);
  };
  // Each leased assignment with no running episode, and its newest episode (index episodes_by_assignment).
  const units = `
    WITH held AS (
      SELECT (SELECT x.id FROM episodes x WHERE x.assignment_id = l.id AND x.participant_id IS NOT NULL
              ORDER BY ${orderBy('x.started_at')} DESC, x.id DESC LIMIT 1) AS id
      FROM play_leases l
      WHERE l.study_id = ${bind(studyId)} AND l.status = 'leased'
        AND NOT EXISTS (SELECT 1 FROM episodes r
                        WHERE r.assignment_id = l.id AND r.status = 'running' AND r.participant_id IS NOT NULL)
    ), units AS (
      SELECT * FROM episodes WHERE status = 'running' AND study_id = ${bind(studyId)} AND participant_id IS NOT NULL
      UNION ALL
      SELECT e.* FROM held JOIN episodes e ON e.id = held.id
    )`;
  const count = { sql: `${units} SELECT COUNT(*) AS n FROM units`, params: [...params] };
  const list = `${units} SELECT * FROM units ORDER BY ${orderBy('started_at')} DESC, id DESC
    LIMIT ${bind(page.limit)} OFFSET ${bind(page.offset)}`;
  return { list: { sql: list, params }, count };
}
