import { createHash } from 'node:crypto';
import type { StudyRecord } from '../../storage/research-storage.ts';

/** SHA-256 of a study's records as run (their JSONL), recorded with the run for provenance. */
export function recordsSha256(records: readonly StudyRecord[]): string {
  const hash = createHash('sha256');
  for (const r of records) hash.update(`${JSON.stringify(r.record)}\n`);
  return hash.digest('hex');
}
