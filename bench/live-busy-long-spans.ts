import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { profileFileArgument } from './support/cpu-profile-summary.ts';

/**
 * Names the long busy stretches of a thread in a V8 `.cpuprofile` (what `node --cpu-prof` writes; the live benches
 * write the server's with BENCH_LIVE_CPU_PROF): runs of samples with no idle sample between them, lasting at least
 * `minMs` (default 20). While such a stretch runs, the thread's event loop answers nobody: for the live loop, each is
 * time a person's acknowledgement or `/api/health` may wait. The totals show where the loop's time goes; this shows
 * what holds it in one piece, which the totals hide (a 700 ms read is 1% of a long run).
 *
 * Each stretch is named by the deepest function of our code (not node_modules, not Node's own) on the stack of at
 * least half its samples, with its GC share and its top self-time functions.
 * `npx tsx bench/live-busy-long-spans.ts FILE.cpuprofile|DIR [minMs] [count]`
 */

const ProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface LongSpan {
  /** Milliseconds from the profile's start. */
  atMs: number;
  ms: number;
  gcShare: number;
  /** The deepest project function on at least half the span's samples, or '(several)'. */
  name: string;
  selfTop: string[];
}

const PROJECT_ROOT = join(import.meta.dirname, '..');

function isOurs(url: string): boolean {
  return url.startsWith('file://') && !url.includes('/node_modules/');
}

function label(frame: { functionName: string; url: string; lineNumber: number }): string {
  const where = frame.url.startsWith('file://')
    ? relative(PROJECT_ROOT, new URL(frame.url).pathname).replace(/^.*node_modules\//, '')
    : frame.url || '(native)';
  return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
}

export function longSpans(file: string, minMs = 20): { wallMs: number; spans: LongSpan[] } {
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): number[] => {
    const stack: number[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(at);
    return stack; // leaf first
  };
  const spans: LongSpan[] = [];
  let run: { start: number; samples: { id: number; us: number }[] } | null = null;
  let t = 0;
  const close = (): void => {
    if (!run) return;
    const us = run.samples.reduce((a, s) => a + s.us, 0);
    if (us >= minMs * 1000) spans.push(describe(run.start, us, run.samples));
    run = null;
  };
  const describe = (start: number, us: number, samples: { id: number; us: number }[]): LongSpan => {
    const inclusive = new Map<number, number>();
    const self = new Map<string, number>();
    let gcUs = 0;
    for (const s of samples) {
      const frame = byId.get(s.id)?.callFrame;
      if (frame?.functionName === '(garbage collector)') gcUs += s.us;
      const name = frame ? label(frame) : '?';
      self.set(name, (self.get(name) ?? 0) + s.us);
      for (const id of new Set(stackOf(s.id))) inclusive.set(id, (inclusive.get(id) ?? 0) + s.us);
    }
    // Deepest of our frames covering half the span: walk each node's depth, keep the deepest qualifying one.
    let best: { depth: number; id: number } | null = null;
    for (const [id, covered] of inclusive) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || !isOurs(frame.url) || covered < us / 2) continue;
      const depth = stackOf(id).length;
      if (!best || depth > best.depth) best = { depth, id };
    }
    const bestFrame = best ? byId.get(best.id)?.callFrame : undefined;
    return {
      atMs: Math.round(start / 1000),
      ms: Math.round(us / 1000),
      gcShare: gcUs / us,
      name: bestFrame ? label(bestFrame) : '(several)',
      selfTop: [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, u]) => `${Math.round(u / 1000)} ms ${name}`),
    };
  };
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    const idle = byId.get(id)?.callFrame.functionName === '(idle)';
    if (idle) close();
    else {
      run ??= { start: t, samples: [] };
      run.samples.push({ id, us });
    }
  });
  close();
  return { wallMs: Math.round(t / 1000), spans };
}

if (process.argv[1] === import.meta.filename) {
  const file = profileFileArgument(
    process.argv[2],
    'npx tsx bench/live-busy-long-spans.ts FILE.cpuprofile|DIR [minMs] [count]',
  );
  const { wallMs, spans } = longSpans(file, Number(process.argv[3] ?? 20));
  const count = Number(process.argv[4] ?? 40);
  const total = spans.reduce((a, s) => a + s.ms, 0);
  process.stdout.write(
    `${file}\nwall ${wallMs} ms; ${spans.length} busy stretches ≥ ${process.argv[3] ?? 20} ms, ${total} ms in all\n`,
  );
  const byName = new Map<string, { n: number; ms: number; max: number }>();
  for (const s of spans) {
    const e = byName.get(s.name) ?? { n: 0, ms: 0, max: 0 };
    byName.set(s.name, { n: e.n + 1, ms: e.ms + s.ms, max: Math.max(e.max, s.ms) });
  }
  process.stdout.write('by name (count, total, longest):\n');
  for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, count))
    process.stdout.write(
      `  ${String(e.n).padStart(4)} ${String(e.ms).padStart(7)} ms ${String(e.max).padStart(5)} ms  ${name}\n`,
    );
  process.stdout.write('longest:\n');
  for (const s of [...spans].sort((a, b) => b.ms - a.ms).slice(0, count))
    process.stdout.write(
      `  @${(s.atMs / 1000).toFixed(1)}s ${String(s.ms).padStart(5)} ms gc ${(100 * s.gcShare).toFixed(0)}%  ${s.name}\n      ${s.selfTop.join(' | ')}\n`,
    );
}
