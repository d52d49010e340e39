import Database from 'better-sqlite3';
import pg from 'pg';
import { verifyLiveDatabase, type AckRecord, type LiveVerification } from './live-verify.ts';

/**
 * The live bench's database check on PostgreSQL: the run's episodes and their events are copied from PostgreSQL
 * into an in-memory SQLite database with the same two tables, and the SQLite run's check runs on that copy, so both
 * storages are judged by one and the same code. Read after the nodes stopped, so the copy is the final state.
 */
export async function verifyLiveRunOnPostgres(
  url: string,
  acks: readonly AckRecord[],
  episodeIds: readonly string[],
): Promise<LiveVerification> {
  const ids = [...new Set([...episodeIds, ...acks.map((a) => a.episodeId)])];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = new Database(':memory:');
  try {
    const episodes = await client.query<{ id: string; status: string }>(
      'SELECT id, status FROM episodes WHERE id = ANY($1)',
      [ids],
    );
    const events = await client.query<{ episode_id: string; seq: number; type: string; json: string }>(
      'SELECT episode_id, seq, type, json FROM episode_events WHERE episode_id = ANY($1)',
      [ids],
    );
    db.exec(`CREATE TABLE episodes (id TEXT PRIMARY KEY, status TEXT NOT NULL);
      CREATE TABLE episode_events (episode_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
        json TEXT NOT NULL, PRIMARY KEY (episode_id, seq));`);
    const addEpisode = db.prepare('INSERT INTO episodes (id, status) VALUES (?, ?)');
    const addEvent = db.prepare('INSERT INTO episode_events (episode_id, seq, type, json) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const e of episodes.rows) addEpisode.run(e.id, e.status);
      for (const e of events.rows) addEvent.run(e.episode_id, e.seq, e.type, e.json);
    })();
    return verifyLiveDatabase(db, acks, episodeIds);
  } finally {
    db.close();
    await client.end();
  }
}
