import type { CandidateRef, WithdrawOutcome } from '../study-work-storage.ts';
import type { Queryable } from './pg-database.ts';
import { countOf, rowsOf } from './postgres-work-sql.ts';

/** Rating candidates as the researcher manages them, on PostgreSQL (mirrors sqlite/rating-candidate-queries.ts). */

/** The episodes among `episodeIds` that already have an answer in the study's rating queue, in the order given. */
export async function queuedEpisodes(c: Queryable, studyId: string, episodeIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(episodeIds)];
  if (unique.length === 0) return [];
  const rows = await rowsOf<{ source_episode_id: string }>(
    c,
    'SELECT source_episode_id FROM rating_candidates WHERE study_id = $1 AND source_episode_id = ANY($2::text[])',
    [studyId, unique],
  );
  const known = new Set(rows.map((r) => r.source_episode_id));
  return unique.filter((id) => known.has(id));
}

/** How many of the study's candidates still in the queue (gold items included) carry no dialogue. */
export async function countWithoutTranscript(c: Queryable, studyId: string): Promise<number> {
  // Withdrawn answers are never shown again, so they no longer decide what the others look like.
  return countOf(
    c,
    `SELECT COUNT(*) AS n FROM rating_candidates
    WHERE study_id = $1 AND transcript_json IS NULL AND withdrawn_at IS NULL`,
    [studyId],
  );
}

interface Target {
  id: number;
  key: string;
  rated: number;
  withdrawn: boolean;
}

async function targetsOf(
  c: Queryable,
  studyId: string,
  ref: CandidateRef,
): Promise<{ targets: Target[]; missing: string[] }> {
  const byItem = 'itemIds' in ref;
  const keys = [...new Set(byItem ? ref.itemIds : ref.episodeIds)];
  const column = byItem ? 'c.item_id' : 'c.source_episode_id';
  const rows = await rowsOf<Target>(
    c,
    `SELECT c.id, ${column} AS key, (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id) AS rated,
      c.withdrawn_at IS NOT NULL AS withdrawn
    FROM rating_candidates c WHERE c.study_id = $1 AND ${column} = ANY($2::text[])`,
    [studyId, keys],
  );
  const found = new Map(rows.map((r) => [r.key, r]));
  const targets = keys.flatMap((key) => {
    const row = found.get(key);
    return row ? [row] : [];
  });
  // Episodes that were never queued are simply not there to withdraw: a run's answers may be partly queued.
  const missing = byItem ? keys.filter((key) => !found.has(key)) : [];
  return { targets, missing };
}

/**
 * Takes the referenced answers that nobody has rated out of the queue (see sqlite/rating-candidate-queries.ts):
 * marked withdrawn, their leases released, rated ones kept. Runs under the study's lock, so no claim or submit
 * interleaves between counting an answer's ratings and withdrawing it.
 */
export async function withdrawCandidates(
  c: Queryable,
  studyId: string,
  ref: CandidateRef,
  now: Date,
): Promise<WithdrawOutcome> {
  const { targets, missing } = await targetsOf(c, studyId, ref);
  if (missing.length > 0) return { withdrawn: 0, kept: 0, missing };
  const at = now.toISOString();
  let withdrawn = 0;
  let kept = 0;
  for (const target of targets) {
    if (target.rated > 0) kept += 1;
    else {
      withdrawn += 1;
      if (target.withdrawn) continue;
      // Expired leases too: a late submit against one would otherwise still be accepted.
      await c.query(
        `UPDATE rating_leases SET status = 'released', ended_at = COALESCE(ended_at, $1)
        WHERE candidate_id = $2 AND status IN ('leased', 'expired')`,
        [at, target.id],
      );
      await c.query('UPDATE rating_candidates SET withdrawn_at = $1 WHERE id = $2', [at, target.id]);
    }
  }
  return { withdrawn, kept, missing: [] };
}
