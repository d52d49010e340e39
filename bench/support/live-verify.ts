import Database from 'better-sqlite3';

/**
 * Checks a live run against the database itself (opened read-only, after the server stopped): every reply a client
 * saw acknowledged is stored exactly once, at the seq the ack gave; no reply is stored that no client saw
 * acknowledged; every episode is completed and rated; every episode's event seqs run 0, 1, 2 … without a gap.
 */

export interface AckRecord {
  episodeId: string;
  clientMessageId: string;
  seq: number;
}

export interface LiveVerification {
  ackedReplies: number;
  storedReplies: number;
  /** Acknowledged but not stored (lost). */
  missing: number;
  /** Stored more than once (same episode and clientMessageId). */
  duplicated: number;
  /** Stored once, but at another seq than the ack said. */
  seqMismatch: number;
  /** Stored but never acknowledged to any client. */
  unacknowledged: number;
  episodesNotCompleted: number;
  episodesNotRated: number;
  episodesWithSeqGaps: number;
  problems: string[];
}

export function verifyLiveRun(
  dbFile: string,
  acks: readonly AckRecord[],
  episodeIds: readonly string[],
): LiveVerification {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return verifyLiveDatabase(db, acks, episodeIds);
  } finally {
    db.close();
  }
}

/** The same checks on an open database with the `episodes` and `episode_events` tables (e.g. a copy of PostgreSQL's). */
export function verifyLiveDatabase(
  db: Database.Database,
  acks: readonly AckRecord[],
  episodeIds: readonly string[],
): LiveVerification {
  const problems: string[] = [];
  const ids = [...new Set(episodeIds)];
  const replies =
    db.prepare(`SELECT episode_id AS episodeId, seq, json_extract(json, '$.clientMessageId') AS clientMessageId
    FROM episode_events WHERE type = 'message' AND json_extract(json, '$.kind') = 'reply' AND episode_id = ?`);
  const stored = new Map<string, number[]>();
  // Replies are looked up in every episode an ack names too: a person whose episode failed mid-way reports its acks
  // but not its id, and its acknowledged replies must still be found (not counted as lost). Stored replies without
  // an ack are only looked for in the listed episodes, as before.
  const listed = new Set(ids);
  for (const id of new Set([...ids, ...acks.map((a) => a.episodeId)])) {
    for (const r of replies.all(id) as { episodeId: string; seq: number; clientMessageId: string | null }[]) {
      const key = `${r.episodeId} ${r.clientMessageId ?? '(none)'}`;
      stored.set(key, [...(stored.get(key) ?? []), r.seq]);
    }
  }
  const acked = new Map(acks.map((a) => [`${a.episodeId} ${a.clientMessageId}`, a.seq]));
  let missing = 0;
  let seqMismatch = 0;
  for (const [key, seq] of acked) {
    const seqs = stored.get(key) ?? [];
    if (seqs.length === 0) {
      missing += 1;
      problems.push(`acknowledged reply ${key} (seq ${seq}) is not stored`);
    } else if (seqs.length === 1 && seqs[0] !== seq) {
      seqMismatch += 1;
      problems.push(`reply ${key} was acknowledged as seq ${seq} but stored at ${seqs[0]}`);
    }
  }
  let duplicated = 0;
  let unacknowledged = 0;
  let storedReplies = 0;
  for (const [key, seqs] of stored) {
    storedReplies += seqs.length;
    if (seqs.length > 1) {
      duplicated += 1;
      problems.push(`reply ${key} is stored ${seqs.length} times (seqs ${seqs.join(', ')})`);
    }
    if (!acked.has(key) && listed.has(key.split(' ')[0] ?? '')) {
      unacknowledged += 1;
      problems.push(`reply ${key} is stored but was never acknowledged`);
    }
  }

  const status = db.prepare('SELECT status FROM episodes WHERE id = ?').pluck();
  const rated = db.prepare("SELECT COUNT(*) FROM episode_events WHERE episode_id = ? AND type = 'actor_rated'").pluck();
  const seqs = db.prepare('SELECT seq FROM episode_events WHERE episode_id = ? ORDER BY seq').pluck();
  let episodesNotCompleted = 0;
  let episodesNotRated = 0;
  let episodesWithSeqGaps = 0;
  for (const id of ids) {
    const s = status.get(id) as string | undefined;
    if (s !== 'completed') {
      episodesNotCompleted += 1;
      problems.push(`episode ${id} is ${s ?? 'missing'}`);
    }
    if ((rated.get(id) as number) !== 1) {
      episodesNotRated += 1;
      problems.push(`episode ${id} has ${String(rated.get(id))} actor ratings`);
    }
    const list = seqs.all(id) as number[];
    if (list.some((seq, i) => seq !== i)) {
      episodesWithSeqGaps += 1;
      problems.push(`episode ${id} seqs are not 0…${list.length - 1}: ${list.join(',')}`);
    }
  }
  return {
    ackedReplies: acked.size,
    storedReplies,
    missing,
    duplicated,
    seqMismatch,
    unacknowledged,
    episodesNotCompleted,
    episodesNotRated,
    episodesWithSeqGaps,
    problems: problems.slice(0, 20),
  };
}
