import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../../../shared/deep-freeze.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { cachedStatement } from './statement-cache.ts';
import { withStoredFloats } from '../rows/record-float-paths.ts';

/** Characters of record JSON the cache holds at most per connection (about 16 MB of text, more once parsed). */
const CACHE_JSON_CHARS = 16 * 1024 * 1024;

/**
 * Reads a study's record, parsed, through a cache of parsed records. Why: live play, ratings and twins read the
 * same few records again at every start, snapshot and rating; parsing a record's JSON each time was one of the larger
 * items on the live loop at 200 persons beside a batch run (profiled in bench:live-busy). A record's JSON never
 * changes once its file is visible; what can change is its float positions, filled in by a later import of the same
 * record from another connection, so each read checks that small column and re-reads the record when it differs.
 * Cached records are frozen: a caller that changed one would change it for every later reader.
 */
export class RecordReads {
  private readonly cache = new LRUCache<string, { floats: string | null; record: BenchmarkRecord }>({
    maxSize: CACHE_JSON_CHARS,
  });

  constructor(private readonly db: Database.Database) {}

  get(studyId: string, problemId: string): BenchmarkRecord | null {
    const key = `${studyId}\u0000${problemId}`;
    const head = cachedStatement(
      this.db,
      'SELECT float_paths_json FROM visible_records WHERE study_id = ? AND problem_id = ?',
    ).get(studyId, problemId) as { float_paths_json: string | null } | undefined;
    if (head === undefined) {
      this.cache.delete(key);
      return null;
    }
    const hit = this.cache.get(key);
    if (hit && hit.floats === head.float_paths_json) return hit.record;
    const json = cachedStatement(this.db, 'SELECT json FROM visible_records WHERE study_id = ? AND problem_id = ?')
      .pluck()
      .get(studyId, problemId) as string | undefined;
    if (json === undefined) return null;
    const record = deepFreeze(withStoredFloats(JSON.parse(json) as BenchmarkRecord, head.float_paths_json));
    this.cache.set(key, { floats: head.float_paths_json, record }, { size: Math.max(1, json.length) });
    return record;
  }
}
