/**
 * Multi-row inserts with one parameter per value: `VALUES ($1, $2), ($3, $4)`. Why not `unnest($1::text[], …)`: pg
 * encodes an array parameter as an array literal, escaping every quote and backslash of every element in JavaScript,
 * which for JSON text costs seconds per 10 MB (measured: 23 MB of JSON strings, 8 s); plain parameters go as they are.
 * PostgreSQL takes at most 65,535 parameters per statement: callers insert in chunks of rows × columns below that.
 */
export function valuesPlaceholders(rows: number, columns: number, firstParam = 1): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    const params: string[] = [];
    for (let column = 0; column < columns; column++) params.push(`$${firstParam + row * columns + column}`);
    tuples.push(`(${params.join(', ')})`);
  }
  return tuples.join(', ');
}

/** The most parameters one statement may carry. */
export const MAX_PARAMS = 65_535;
