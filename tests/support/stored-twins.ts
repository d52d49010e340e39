import Database from 'better-sqlite3';

/** One live episode's simulated twins as the database holds them. */
export interface StoredTwins {
  liveEpisodeId: string;
  /** Twin episodes linked to the live one (exactly one once its twin ran). */
  twins: number;
  /** The twin's status (the first twin's), or null without one. */
  status: string | null;
  events: number;
  /** Problems with the twin's log: seqs not 0, 1, 2 …, started or ended other than once. */
  problems: string[];
}

/**
 * Reads the simulated twins of live episodes straight from the database file (read-only: the server may be running or
 * stopped), and checks each twin's log: seqs without gap or repeat, one episode_started, and, once it has ended, one
 * ending event as its last (a crash may leave a running twin whose ending event is stored but not its end).
 */
export function storedTwins(dbFile: string, liveEpisodeIds: readonly string[]): StoredTwins[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const twinsOf = db.prepare('SELECT id, status FROM episodes WHERE twin_of = ? ORDER BY started_at');
    const eventsOf = db.prepare('SELECT seq, type FROM episode_events WHERE episode_id = ? ORDER BY seq');
    return liveEpisodeIds.map((liveEpisodeId) => {
      const twins = twinsOf.all(liveEpisodeId) as { id: string; status: string }[];
      const first = twins[0];
      if (!first) return { liveEpisodeId, twins: 0, status: null, events: 0, problems: [] };
      const events = eventsOf.all(first.id) as { seq: number; type: string }[];
      const problems: string[] = [];
      if (events.some((e, i) => e.seq !== i)) problems.push(`seqs ${events.map((e) => e.seq).join(',')}`);
      const started = events.filter((e) => e.type === 'episode_started').length;
      if (started !== 1) problems.push(`${started} episode_started`);
      const ends = events.filter((e) => e.type === 'episode_completed' || e.type === 'episode_failed');
      if (first.status !== 'running') {
        if (ends.length !== 1) problems.push(`${ends.length} ending events`);
        if (events.at(-1) !== ends[0]) problems.push(`last event ${events.at(-1)?.type ?? 'none'}`);
      }
      return { liveEpisodeId, twins: twins.length, status: first.status, events: events.length, problems };
    });
  } finally {
    db.close();
  }
}

/**
 * What each of the person's replies should have in a stored log: exactly one disclosure label, and in a live episode
 * exactly one twin reply. Returns one line per reply turn that has another count (empty when all is well).
 */
export function replyFollowUps(dbFile: string, episodeIds: readonly string[], withTwinReplies: boolean): string[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const eventsOf = db.prepare('SELECT type, json FROM episode_events WHERE episode_id = ? ORDER BY seq');
    return episodeIds.flatMap((episodeId) => {
      const events = (eventsOf.all(episodeId) as { type: string; json: string }[]).map((row) => ({
        type: row.type,
        ...(JSON.parse(row.json) as { kind?: string; turn?: number }),
      }));
      const count = (type: string, turn: number | undefined): number =>
        events.filter((e) => e.type === type && e.turn === turn).length;
      return events
        .filter((e) => e.type === 'message' && e.kind === 'reply')
        .flatMap((reply) => {
          const labels = count('disclosure_labeled', reply.turn);
          const twinReplies = withTwinReplies ? count('twin_reply', reply.turn) : 1;
          return labels === 1 && twinReplies === 1
            ? []
            : [
                `${episodeId} turn ${reply.turn}: ${labels} labels, ${withTwinReplies ? twinReplies : '-'} twin replies`,
              ];
        });
    });
  } finally {
    db.close();
  }
}

/** The ids of the simulated twins of these live episodes. */
export function storedTwinIds(dbFile: string, liveEpisodeIds: readonly string[]): string[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const twinsOf = db.prepare('SELECT id FROM episodes WHERE twin_of = ?').pluck();
    return liveEpisodeIds.flatMap((id) => twinsOf.all(id) as string[]);
  } finally {
    db.close();
  }
}
