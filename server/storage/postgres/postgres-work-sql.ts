import type pg from 'pg';
import type { Queryable } from './pg-database.ts';
import { raterOrder } from '../rater-order.ts';

/** Small helpers the study-work queries on PostgreSQL share. */

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
