import type pg from 'pg';
import type { Queryable } from './pg-database.ts';
import { randomSafeId } from './postgres-random-ids.ts';

/**
 * Small helpers the study-work queries on PostgreSQL share. raterOrder repeats SQLite's (sqlite/rating-queue-queries.ts)
 * because the storage areas may not import each other; both must stay the same so that a rater's tie order does not
 * depend on the engine.
 */

export async function rowsOf<R extends pg.QueryResultRow>(
  c: Queryable,
  sql: string,
  params: readonly unknown[],
): Promise<R[]> {
  return (await c.query<R>(sql, params as unknown[])).rows;
}

export async function firstRow<R extends pg.QueryResultRow>(
  c: Queryable,
  sql: string,
  params: readonly unknown[],
): Promise<R | undefined> {
  return (await rowsOf<R>(c, sql, params))[0];
}

/** The single number a `SELECT <count> AS n` returns (int8 arrives as a number, see pg-database.ts). */
export async function countOf(c: Queryable, sql: string, params: readonly unknown[]): Promise<number> {
  return Number((await firstRow<{ n: number }>(c, sql, params))?.n ?? 0);
}

/** A rating item's opaque id: 96 random bits, nothing derived from the episode (as sqlite/random-ids.ts). */
export function newItemId(): string {
  return randomSafeId(12);
}

/**
 * A per-rater shuffle that needs no stored state: FNV-1a of (rater, item) over UTF-16 code units. Each rater sees
 * ties in their own order, so concurrent raters spread over different answers.
 */
export function raterOrder(participantId: string, itemId: string): number {
  let hash = 0x811c9dc5;
  const text = `${participantId}\u0000${itemId}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The rater's first in their own order (then the lowest id): what SQLite's `ORDER BY rater_order(..), id` picks. */
export function firstForRater<T extends { id: number; item_id: string }>(
  rows: readonly T[],
  participantId: string,
): T | undefined {
  let best: { row: T; order: number } | undefined;
  for (const row of rows) {
    const order = raterOrder(participantId, row.item_id);
    if (!best || order < best.order || (order === best.order && row.id < best.row.id)) best = { row, order };
  }
  return best?.row;
}
