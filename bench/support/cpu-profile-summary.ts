import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';

/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and says where the thread's time went: self time per
 * function, and inclusive time per source file or package (a sample counts once for every file on its stack). Used by
 * the live benches when BENCH_LIVE_CPU_PROF is set, and by hand: `npx tsx bench/support/cpu-profile-summary.ts FILE`.
 */

const ProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileItem {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  wallMs: number;
  idleMs: number;
  gcMs: number;
  selfTop: ProfileItem[];
  filesTop: ProfileItem[];
}

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** A package name for code under node_modules, a project-relative path for ours, the URL for Node's own. */
function sourceOf(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('file://')) return relative(PROJECT_ROOT, new URL(url).pathname);
  return url === '' ? '(native)' : url;
}

export function summarizeCpuProfile(file: string, top = 15): ProfileSummary {
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const wallUs = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  let idleUs = 0;
  let gcUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') idleUs += us;
    if (frame.functionName === '(garbage collector)') gcUs += us;
    const name = `${frame.functionName || '(anonymous)'} ${sourceOf(frame.url)}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      if (url === '') continue;
      const source = sourceOf(url);
      if (seen.has(source)) continue;
      seen.add(source);
      files.set(source, (files.get(source) ?? 0) + us);
    }
  }
  const busyUs = Math.max(1, wallUs - idleUs);
  const ranked = (m: Map<string, number>, skip: (name: string) => boolean): ProfileItem[] =>
    [...m]
      .filter(([name]) => !skip(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / busyUs }));
  return {
    wallMs: Math.round(wallUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    gcMs: Math.round(gcUs / 1000),
    selfTop: ranked(self, (n) => n.startsWith('(idle)') || n.startsWith('(root)') || n.startsWith('(program)')),
    filesTop: ranked(files, (n) => n.startsWith('node:internal')),
  };
}

/**
 * The newest main-thread profile in a --cpu-prof directory (file names end in <pid>.<thread>.<n>.cpuprofile; the main
 * thread is 0). Several runs may share the directory, so the newest is the run that just ended.
 */
export function mainThreadProfile(dir: string): string | null {
  const candidates = readdirSync(dir)
    .filter((f) => /\.0\.\d+\.cpuprofile$/.test(f))
    .map((f) => join(dir, f));
  candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? null;
}

/** The summary as text: shares are of the thread's busy time (wall minus idle). */
export function formatProfileSummary(s: ProfileSummary): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `wall ${s.wallMs} ms, busy ${s.wallMs - s.idleMs} ms (${pct((s.wallMs - s.idleMs) / Math.max(1, s.wallMs))}), GC ${s.gcMs} ms`,
    'self time (share of busy):',
    ...s.selfTop.map((i) => `  ${pct(i.share).padStart(6)} ${String(i.ms).padStart(7)} ms  ${i.name}`),
    'inclusive by file or package (share of busy):',
    ...s.filesTop.map((i) => `  ${pct(i.share).padStart(6)} ${String(i.ms).padStart(7)} ms  ${i.name}`),
  ];
  return lines.join('\n');
}

/**
 * After a profiled server stopped: summarizes its main thread's newest profile in `dir` into `<dir>/<label>.txt` and
 * says where. Nothing when no profile was asked for.
 */
export function reportCpuProfile(dir: string | null, label: string): void {
  if (!dir) return;
  const path = mainThreadProfile(dir);
  if (!path) return;
  const out = join(dir, `${label}.txt`);
  writeFileSync(out, `${path}\n${formatProfileSummary(summarizeCpuProfile(path))}\n`);
  process.stdout.write(`\n    CPU profile of the live loop: ${out}`);
}

/**
 * A profile tool's first argument: a .cpuprofile file, or a folder whose main-thread profile is taken. Exits 2 with
 * `usage` when it is missing, or with a message when the folder holds no main-thread profile.
 */
export function profileFileArgument(arg: string | undefined, usage: string): string {
  if (!arg) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  const path = statSync(arg).isDirectory() ? mainThreadProfile(arg) : arg;
  if (!path) {
    process.stderr.write(`${arg}: no main-thread .cpuprofile in this directory\n`);
    process.exit(2);
  }
  return path;
}

if (process.argv[1] === import.meta.filename) {
  const path = profileFileArgument(
    process.argv[2],
    'npx tsx bench/support/cpu-profile-summary.ts FILE.cpuprofile|DIR [TOP]',
  );
  process.stdout.write(`${path}\n${formatProfileSummary(summarizeCpuProfile(path, Number(process.argv[3] ?? 15)))}\n`);
}
