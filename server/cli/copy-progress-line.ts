import type { CopyProgress } from '../storage/copy-sqlite-to-postgres.ts';

/** "[=====>    ] 12.3k/40.0k rows 30% · table 7/31 records · 0:12 elapsed" */
export function copyProgressText(p: CopyProgress, elapsedMs: number, width = 24): string {
  const share = p.totalRows === 0 ? 1 : p.rowsCopied / p.totalRows;
  const filled = Math.round(share * width);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (share >= 1 ? '=' : '>') : ''}${' '.repeat(width - filled)}]`;
  const seconds = Math.round(elapsedMs / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    `${bar} ${compact(p.rowsCopied)}/${compact(p.totalRows)} rows ${Math.floor(share * 100)}% · ` +
    `table ${p.tableNumber}/${p.tableCount} ${p.table} · ${clock} elapsed`
  );
}

function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

/**
 * The copy's progress on stderr, like a batch run's (progress-line.ts): redrawn in place on a terminal; elsewhere (CI
 * logs, files) a plain line at most every `intervalMs`, so a log of a long copy still shows it moving.
 */
export class CopyProgressReporter {
  private readonly started = Date.now();
  private lastPlain = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: { isTTY?: boolean; write(text: string): boolean },
    private readonly intervalMs = 10_000,
  ) {}

  update(p: CopyProgress): void {
    const elapsed = Date.now() - this.started;
    const text = copyProgressText(p, elapsed);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else if (elapsed - this.lastPlain >= this.intervalMs) {
      this.lastPlain = elapsed;
      this.stream.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
