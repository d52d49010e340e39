import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * `bench/results/summary.md` and `summary.json`: one readable table over the latest result of every bench in
 * bench/results (this run's and earlier ones, each with its own date), with the machine it ran on. Rows are every
 * metric that has a target, plus each bench's headline figures.
 */

interface SavedResult {
  name: string;
  description: string;
  metrics: Record<string, number>;
  targets: Record<string, number>;
  floors?: Record<string, number>;
  node?: string;
  cpus?: number;
  cpu_model?: string;
  date?: string;
}

export interface SummaryRow {
  bench: string;
  metric: string;
  value: number;
  /** "≤ 25" or "≥ 0.95"; null for a figure without a target. */
  target: string | null;
  verdict: 'met' | 'missed' | null;
  date: string;
}

/** Figures worth a row even without a target (the live bench's per-size metrics end with these). */
const HEADLINES: Record<string, RegExp> = {
  live: /_(sessions|app_sessions_completed|app_replies_per_s|app_chunks_per_s|app_reply_p50_ms|echo_reply_p99_ms|app_server_cpu_cores|echo_server_cpu_cores|app_server_rss_peak_mb|cpu_ratio|app_episode_p99_s|echo_episode_p99_s|sessions_slowed|faults_injected|reported_failed_attempts|reported_retries|reported_failed_episodes|client_loop_p99_ms)$/,
  'live-faults':
    /_(sessions|app_sessions_completed|app_reply_p50_ms|echo_reply_p99_ms|app_episode_p50_s|app_episode_p99_s|echo_episode_p99_s|sessions_slowed|model_calls_received|faults_injected|faults_rate_limited|faults_server_error|faults_hang|faults_cut|reported_failed_attempts|reported_retries|reported_failed_calls|reported_failed_episodes)$/,
  'live-busy':
    /^(?:sessions|(?:quiet|busy)_(?:reply_p50_ms|reply_p99_ms|episode_p99_s|server_cpu_cores|health_p50_ms|health_p99_ms|health_max_ms|machine_busy_cores)|(?:quiet|busy)_load_avg_1m_end|batch_episodes|batch_seconds|import_mb|import_seconds|agreement_seconds|episode_p99_ratio)$/,
  'live-nodes':
    /_(sessions|(?:sqlite|pg\d|echo)_reply_p50_ms|echo_reply_p99_ms|(?:sqlite|pg\d|echo)_server_cpu_cores|pg\d_postgres_cpu_cores|pg\d_total_cpu_cores|pg\d_transactions_per_reply|pg\d_backends_active_mean|pg\d_backends_lock_waits_mean|pg\d_backends_idle_in_transaction_mean|(?:sqlite|pg\d)_p99_ratio|pg\d_vs_sqlite_reply_p99|(?:sqlite|pg\d)_cpu_ms_per_reply|(?:sqlite|pg\d|echo)_episode_p99_s|(?:sqlite|pg\d|echo)_load_avg_1m_end|(?:sqlite|pg\d|echo)_machine_busy_cores)$/,
  batch: /./,
  import: /./,
  stats: /./,
  'first-paint':
    /^(?:(?:phone|slow)_join_(?:kb|fcp_ms|consent_ms)|slow_(?:play|rate|done)_content_ms|load_avg_1m_end)$/,
};

function verdictOf(value: number, target: number | undefined, floor: number | undefined): SummaryRow['verdict'] {
  if (target !== undefined) return value <= target ? 'met' : 'missed';
  if (floor !== undefined) return value >= floor ? 'met' : 'missed';
  return null;
}

/** `floors`: lower limits by bench, for results written before they were recorded in the result itself. */
export function summaryRows(
  results: readonly SavedResult[],
  floors: Record<string, Record<string, number>> = {},
): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const r of results) {
    const headline = HEADLINES[r.name];
    for (const [metric, value] of Object.entries(r.metrics)) {
      const target = r.targets[metric];
      const floor = (r.floors ?? floors[r.name])?.[metric];
      if (target === undefined && floor === undefined && !(headline?.test(metric) ?? false)) continue;
      rows.push({
        bench: r.name,
        metric,
        value,
        target: target !== undefined ? `≤ ${target}` : floor !== undefined ? `≥ ${floor}` : null,
        verdict: verdictOf(value, target, floor),
        date: r.date ?? '',
      });
    }
  }
  return rows;
}

const format = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) < 10 ? v.toFixed(2) : v.toFixed(1);

export function writeSummary(
  resultsDir: string,
  floors: Record<string, Record<string, number>> = {},
): { missed: number; file: string } {
  const results = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json') && f !== 'summary.json')
    .sort()
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as SavedResult);
  const rows = summaryRows(results, floors);
  const machine = {
    cores: cpus().length,
    cpu_model: cpus()[0]?.model ?? '',
    node: process.version,
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    load_average_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: new Date().toISOString(),
  };
  const missed = rows.filter((r) => r.verdict === 'missed').length;
  writeFileSync(
    join(resultsDir, 'summary.json'),
    `${JSON.stringify({ machine, missed, benches: results.map((r) => ({ name: r.name, description: r.description, date: r.date ?? '' })), rows }, null, 2)}\n`,
  );
  const lines = [
    '# Benchmark summary',
    '',
    `Written by \`npm run bench\` on ${machine.date}: ${machine.cores} cores (${machine.cpu_model}), ${machine.memory_gb} GB memory, Node ${machine.node}, load average ${machine.load_average_1m} at the end. Each bench's figures are from its latest run (its date below); \`bench/results/<bench>.json\` has every metric. ${missed === 0 ? 'Every target met.' : `**${missed} target${missed === 1 ? '' : 's'} missed.**`}`,
    '',
    ...results.map((r) => `- **${r.name}** (${r.date ?? 'no date'}): ${r.description}`),
    '',
    '| bench | metric | value | target | met? |',
    '|---|---|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.bench} | ${r.metric} | ${format(r.value)} | ${r.target ?? ''} | ${r.verdict === 'missed' ? '**missed**' : (r.verdict ?? '')} |`,
    ),
    '',
  ];
  const file = join(resultsDir, 'summary.md');
  writeFileSync(file, lines.join('\n'));
  return { missed, file };
}
