import type { BatchProgress } from '../services/evaluation/batch-run.ts';
import type { UsageTotals } from '../models/metered-provider.ts';

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
    : `${m}:${String(sec).padStart(2, '0')}`;
}

function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

/** "[=====>    ] 64/192 33% · 1 failed · 4 running · ETA 0:42 · 12.3k tokens · $0.12" */
export function progressText(p: BatchProgress, usage: UsageTotals, width = 24): string {
  const todo = p.total - p.skipped;
  const finished = p.done + p.failed;
  const share = todo === 0 ? 1 : finished / todo;
  const filled = Math.round(share * width);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (share >= 1 ? '=' : '>') : ''}${' '.repeat(width - filled)}]`;
  const eta = finished > 0 && share < 1 ? ` · ETA ${clock((p.elapsedMs / finished) * (todo - finished))}` : '';
  const cost = usage.costUsd === null ? '' : ` · $${usage.costUsd.toFixed(2)}`;
  return (
    `${bar} ${finished}/${todo} ${Math.floor(share * 100)}%` +
    `${p.skipped > 0 ? ` · ${p.skipped} already done` : ''}${p.failed > 0 ? ` · ${p.failed} failed` : ''} · ${p.running} running` +
    `${eta} · ${clock(p.elapsedMs)} elapsed · ${compact(usage.inputTokens + usage.outputTokens)} tokens${cost}`
  );
}

/**
 * Draws progress in place on a terminal; elsewhere (CI logs, files) prints a plain line at most every `intervalMs`.
 */
export class ProgressReporter {
  private lastPlain = -Infinity;
  private lastFinished = -1;
  private drawn = false;

  constructor(
    private readonly stream: { isTTY?: boolean; write(text: string): boolean },
    private readonly usage: () => UsageTotals,
    private readonly intervalMs = 10_000,
  ) {}

  update(p: BatchProgress): void {
    const text = progressText(p, this.usage());
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else {
      const finished = p.done + p.failed;
      const complete = finished + p.skipped === p.total;
      if (finished !== this.lastFinished && (p.elapsedMs - this.lastPlain >= this.intervalMs || complete)) {
        this.lastPlain = p.elapsedMs;
        this.lastFinished = finished;
        this.stream.write(`${text}\n`);
      }
    }
  }

  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** Where progress goes when the output has no place for it (in-process tests). */
export const NO_PROGRESS = { write: (): boolean => true };
