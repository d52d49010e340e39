import type Database from 'better-sqlite3';
import type { CandidateRef, WithdrawOutcome } from '../study-work-storage.ts';
import { cachedStatement } from './statement-cache.ts';

/** Rating candidates as the researcher manages them: which episodes are queued, dialogue coverage, withdrawal. */

/** The episodes among `episodeIds` that already have an answer in the study's rating queue. */
export function queuedEpisodes(db: Database.Database, studyId: string, episodeIds: readonly string[]): string[] {
  const known = cachedStatement(
    db,
    'SELECT 1 FROM rating_candidates WHERE study_id = ? AND source_episode_id = ?',
  ).pluck();
  return [...new Set(episodeIds)].filter((id) => known.get(studyId, id) !== undefined);
}

/** How many of the study's candidates still in the queue (gold items included) carry no dialogue. */
export function countWithoutTranscript(db: Database.Database, studyId: string): number {
  // Withdrawn answers are never shown again, so they no longer decide what the others look like.
  return cachedStatement(
    db,
    'SELECT COUNT(*) FROM rating_candidates WHERE study_id = ? AND transcript_json IS NULL AND withdrawn_at IS NULL',
  )
    .pluck()
    .get(studyId) as number;
}

interface Target {
  id: number;
  rated: number;
  withdrawn: number;
}

const TARGET_COLUMNS = `c.id, (SELECT COUNT(*) FROM ratings r WHERE r.candidate_id = c.id) AS rated,
  c.withdrawn_at IS NOT NULL AS withdrawn`;

function targetsOf(
  db: Database.Database,
  studyId: string,
  ref: CandidateRef,
): { targets: Target[]; missing: string[] } {
  if ('itemIds' in ref) {
    const byItem = cachedStatement(
      db,
      `SELECT ${TARGET_COLUMNS} FROM rating_candidates c WHERE c.study_id = ? AND c.item_id = ?`,
    );
    const targets: Target[] = [];
    const missing: string[] = [];
    for (const itemId of new Set(ref.itemIds)) {
      const row = byItem.get(studyId, itemId) as Target | undefined;
      if (row) targets.push(row);
      else missing.push(itemId);
    }
    return { targets, missing };
  }
  // Episodes that were never queued are simply not there to withdraw: a run's answers may be partly queued.
  const byEpisode = cachedStatement(
    db,
    `SELECT ${TARGET_COLUMNS} FROM rating_candidates c WHERE c.study_id = ? AND c.source_episode_id = ?`,
  );
  const targets = [...new Set(ref.episodeIds)].flatMap((id) => {
    const row = byEpisode.get(studyId, id) as Target | undefined;
    return row ? [row] : [];
  });
  return { targets, missing: [] };
}

/**
 * Takes the referenced answers that nobody has rated out of the queue: they are marked withdrawn (claims skip them)
 * and the leases raters hold on them are released (the rater gets another item next time; a late submit finds no
 * lease). The rows stay, so what is stored against them keeps its meaning. Answers with at least one rating stay in
 * the queue as they are. Withdrawing twice changes nothing. Must run inside an immediate transaction. When an item id
 * is not in the study, nothing is withdrawn and the unknown ids are returned.
 */
export function withdrawCandidates(
  db: Database.Database,
  studyId: string,
  ref: CandidateRef,
  now: Date,
): WithdrawOutcome {
  const { targets, missing } = targetsOf(db, studyId, ref);
  if (missing.length > 0) return { withdrawn: 0, kept: 0, missing };
  const at = now.toISOString();
  const release = cachedStatement(
    db,
    // Expired leases too: a late submit against one would otherwise still be accepted.
    `UPDATE rating_leases SET status = 'released', ended_at = COALESCE(ended_at, ?)
    WHERE candidate_id = ? AND status IN ('leased', 'expired')`,
  );
  const mark = cachedStatement(db, 'UPDATE rating_candidates SET withdrawn_at = ? WHERE id = ?');
  let withdrawn = 0;
  let kept = 0;
  for (const target of targets) {
    if (target.rated > 0) kept += 1;
    else {
      withdrawn += 1;
      if (target.withdrawn === 1) continue;
      release.run(at, target.id);
      mark.run(at, target.id);
    }
  }
  return { withdrawn, kept, missing: [] };
}
