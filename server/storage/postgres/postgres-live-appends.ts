import { AppError } from '../../../shared/errors.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { NotOwner, OwnedAppend } from '../live-storage.ts';
import { isForeignKeyViolation, isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase } from './pg-database.ts';

export const NOT_OWNER: NotOwner = { stored: false, reason: 'not_owner' };

/**
 * The owner check of a fenced write: the episode's owner row naming this node, locked FOR SHARE until the statement's
 * transaction ends. Why the lock: another node's takeover (claimEpisode's INSERT … ON CONFLICT DO UPDATE) must lock
 * that row to change it, so it waits for a write that passed the check to commit, and a write that comes while a
 * takeover is under way waits for it and then reads the new owner (READ COMMITTED re-checks the updated row). A write
 * either lands before the new owner reads the events it resumes from, or not at all.
 */
export const OWNER_FENCE = `fence AS (
  SELECT 1 FROM live_episode_owners WHERE episode_id = $1 AND node = $2 FOR SHARE
)`;

/**
 * The events of one append, as one statement: the owner check (none when $2, the owner, is null), the client message ids claimed
 * (ON CONFLICT DO NOTHING: of two resends at once, the second waits for the first's commit and then skips), and the
 * events whose id was claimed (or that have none). One statement is one transaction with no BEGIN/COMMIT round trips,
 * and no backend waits idle inside it for this node's next statement. A taken seq or an unknown episode fails the
 * statement: nothing of it is stored, claimed ids included.
 */
const OWNED = '($2::text IS NULL OR EXISTS (SELECT 1 FROM fence))';
const APPEND_SQL = `WITH ${OWNER_FENCE},
    ev AS (SELECT * FROM jsonb_to_recordset($3::jsonb) AS x(seq integer, type text, json text, client_id text)),
    claimed AS (
      INSERT INTO episode_client_messages (episode_id, client_message_id, seq)
      SELECT $1, client_id, seq FROM ev WHERE client_id IS NOT NULL AND ${OWNED}
      ON CONFLICT DO NOTHING
      RETURNING client_message_id
    ),
    inserted AS (
      INSERT INTO episode_events (episode_id, seq, type, json)
      SELECT $1, seq, type, json FROM ev
      WHERE ${OWNED} AND (client_id IS NULL OR client_id IN (SELECT client_message_id FROM claimed))
      RETURNING seq
    )
    SELECT ${OWNED} AS owned, COALESCE((SELECT jsonb_agg(client_message_id) FROM claimed), '[]'::jsonb) AS claimed`;

/**
 * Appends one episode's events in one statement; with `owner`, only while that node owns the episode (else nothing is
 * stored and `not_owner` is returned). An event whose client message id was already stored is not stored again: its
 * result is the earlier event's seq with `duplicate: true`.
 */
export async function appendEvents(
  db: PgDatabase,
  episodeId: string,
  events: readonly EpisodeEvent[],
  owner: string | null,
): Promise<OwnedAppend> {
  const rows = events.map((e) => ({
    seq: e.seq,
    type: e.type,
    json: JSON.stringify(e),
    client_id: e.type === 'message' ? (e.clientMessageId ?? null) : null,
  }));
  let answer: { owned: boolean; claimed: string[] } | undefined;
  try {
    [answer] = await db.rows<{ owned: boolean; claimed: string[] }>(APPEND_SQL, [
      episodeId,
      owner,
      JSON.stringify(rows),
    ]);
  } catch (error) {
    if (isUniqueViolation(error) || isForeignKeyViolation(error))
      throw new AppError(
        'conflict',
        `episode ${episodeId} already has an event ${events.map((e) => e.seq).join(', ')}, or does not exist`,
      );
    throw error;
  }
  if (!answer?.owned) return NOT_OWNER;
  const claimed = new Set(answer.claimed);
  const results: { seq: number; duplicate: boolean }[] = [];
  for (const row of rows) {
    if (row.client_id === null || claimed.has(row.client_id)) {
      results.push({ seq: row.seq, duplicate: false });
      continue;
    }
    // A resend (rare): the earlier event's seq, read after this statement so a concurrent first one is committed.
    const [earlier] = await db.rows<{ seq: number }>(
      'SELECT seq FROM episode_client_messages WHERE episode_id = $1 AND client_message_id = $2',
      [episodeId, row.client_id],
    );
    results.push({ seq: earlier?.seq ?? row.seq, duplicate: true });
  }
  return { stored: true, results };
}
