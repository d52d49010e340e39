/**
 * The Alternative Annotator Test (Calderon, Reichart & Dror 2025, "The Alternative Annotator Test for LLM-as-a-Judge",
 * ACL 2025, arXiv 2501.10970; reference code github.com/nitaytech/AltTest): can the LLM replace a human? Each
 * human j is left out in turn and we ask who represents the remaining humans better, the LLM or human j.
 */

/** A human's or the LLM's annotation; null/undefined (or NaN) means "not annotated". */
export type AltValue = number | string;

/** One instance: the LLM's value and each human's value keyed by annotator id. */
export interface AltTestItem {
  llm: AltValue | null | undefined;
  humans: Readonly<Record<string, AltValue | null | undefined>>;
}

/**
 * Alignment score S(v, H) of a value v with the other humans' values H (higher is better):
 * 'absolute' −|v − mean(H)| (numeric); 'rmse' −√(mean (v − h)²), the reference code's `neg_rmse`; 'match' the share
 * of H equal to v, the reference code's `accuracy` (categorical).
 */
export type AltScoring = 'absolute' | 'rmse' | 'match';

export interface AltTestOptions {
  /** Cost–benefit margin ε (paper: 0.2 experts, 0.15 skilled, 0.1 crowd workers). */
  epsilon: number;
  /** FDR level q of the Benjamini–Yekutieli procedure. Default 0.05. */
  alpha?: number;
  scoring: AltScoring;
  /** Fewest instances an annotator needs to be tested. Default 2 (a t-test minimum); the paper advises ≥ 30. */
  minItems?: number;
}

export interface AltTestAnnotator {
  annotator: string;
  /** Instances where this annotator, the LLM and at least one other human all have a value. */
  n: number;
  /** ρ^f_j = mean_i W^f_ij, W^f_ij = 1[S(f_i, H_i,−j) ≥ S(h_ij, H_i,−j)]. */
  rhoF: number;
  /** ρ^h_j = mean_i W^h_ij, W^h_ij = 1[S(h_ij, H_i,−j) ≥ S(f_i, H_i,−j)]. */
  rhoH: number;
  /** t statistic of H0 mean(W^h − W^f) ≥ ε; null when the differences have zero variance (t = ±∞). */
  t: number | null;
  /** One-sided p-value of H0_j: ρ^f_j ≤ ρ^h_j − ε. */
  pValue: number;
  /** H0_j rejected under BY at level alpha: the LLM "wins" against annotator j. */
  rejected: boolean;
}

export interface AltTestResult {
  /** ω = share of tested annotators whose H0_j is rejected; null when none could be tested. */
  winningRate: number | null;
  /** ρ = mean_j ρ^f_j over the tested annotators; null when none could be tested. */
  advantageProbability: number | null;
  /** ω ≥ 0.5 (false when ω is null). */
  passed: boolean;
  epsilon: number;
  alpha: number;
  /** Instances usable at all (LLM value present and at least 2 humans). */
  items: number;
  annotators: AltTestAnnotator[];
  excluded: { annotator: string; n: number; reason: string }[];
  reason?: string;
}

/** ln Γ(x) for x > 0, Lanczos approximation (g = 7, n = 9; Numerical Recipes 3rd ed. §6.1), |error| < 1e−15. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection formula
  const z = x - 1;
  let a = c[0] as number;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of I_x(a, b) by the modified Lentz method (Numerical Recipes 3rd ed. §6.4, `betacf`). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b) (Numerical Recipes §6.4), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only for x < (a+1)/(a+b+2); beyond it, use the symmetric form.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student t CDF P(T ≤ t) with df degrees of freedom: the tail P(T > |t|) = ½·I_{df/(df+t²)}(df/2, ½). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Benjamini–Yekutieli step-up FDR control under arbitrary dependence (Benjamini & Yekutieli 2001, Ann. Statist. 29(4),
 * Thm 1.3): with p₍₁₎ ≤ … ≤ p₍ₘ₎ and c(m) = Σ_{i=1}^m 1/i, reject H₍₁₎…H₍ₖ₎ for the largest k with
 * p₍ₖ₎ ≤ k·α / (m·c(m)). Returns, in input order, whether each hypothesis is rejected.
 */
export function benjaminiYekutieli(pValues: readonly number[], alpha: number): boolean[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const m = pValues.length;
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  let cm = 0;
  for (let i = 1; i <= m; i++) cm += 1 / i;
  const order = pValues.map((_, i) => i).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  let k = 0; // step-up: the largest rank that meets its threshold, not the first that fails
  order.forEach((index, rank) => {
    if ((pValues[index] as number) <= ((rank + 1) * alpha) / (m * cm)) k = rank + 1;
  });
  const rejected = new Array<boolean>(m).fill(false);
  for (let r = 0; r < k; r++) rejected[order[r] as number] = true;
  return rejected;
}

function present(v: AltValue | null | undefined): v is AltValue {
  return v != null && !(typeof v === 'number' && Number.isNaN(v));
}

function score(v: AltValue, others: AltValue[], scoring: AltScoring): number {
  if (scoring === 'match') return others.filter((o) => o === v).length / others.length;
  const num = (u: AltValue): number => {
    if (typeof u !== 'number') throw new TypeError(`'${scoring}' scoring needs numeric annotations, got "${u}"`);
    return u;
  };
  if (scoring === 'absolute') return -Math.abs(num(v) - others.reduce<number>((s, o) => s + num(o), 0) / others.length);
  return -Math.sqrt(others.reduce<number>((s, o) => s + (num(v) - num(o)) ** 2, 0) / others.length);
}

/**
 * Runs the alt-test (Calderon et al. 2025, §3; their code's `alt_test`): instances need the LLM's value and ≥ 2 humans.
 * For each annotator j with ≥ minItems such instances, d_i = W^h_ij − W^f_ij and a one-sided one-sample t-test of H0:
 * mean(d) ≥ ε (that is, ρ^f_j ≤ ρ^h_j − ε) gives p_j = T_{n−1}((d̄ − ε)/(s_d/√n)); when s_d = 0, p_j = 0 if d̄ < ε else
 * 1 (the limit of t = ±∞). BY at level alpha over the p_j; ω = share rejected, ρ = mean ρ^f_j, passed = ω ≥ 0.5.
 */
export function altTest(items: readonly AltTestItem[], options: AltTestOptions): AltTestResult {
  const { epsilon, alpha = 0.05, scoring, minItems = 2 } = options;
  if (!Number.isFinite(epsilon)) throw new RangeError(`epsilon must be finite, got ${epsilon}`);
  const usable = items
    .map((item) => ({
      llm: item.llm,
      humans: Object.entries(item.humans).filter((e): e is [string, AltValue] => present(e[1])),
    }))
    .filter(
      (item): item is { llm: AltValue; humans: [string, AltValue][] } => present(item.llm) && item.humans.length >= 2,
    );
  const diffs = new Map<string, { wf: number; wh: number; d: number[] }>();
  for (const item of items)
    for (const id of Object.keys(item.humans)) if (!diffs.has(id)) diffs.set(id, { wf: 0, wh: 0, d: [] });
  for (const { llm, humans } of usable) {
    humans.forEach(([id, h], j) => {
      const others = humans.filter((_, o) => o !== j).map((e) => e[1]);
      const sf = score(llm, others, scoring);
      const sh = score(h, others, scoring);
      const acc = diffs.get(id) as { wf: number; wh: number; d: number[] };
      const wf = sf >= sh ? 1 : 0;
      const wh = sh >= sf ? 1 : 0;
      acc.wf += wf;
      acc.wh += wh;
      acc.d.push(wh - wf);
    });
  }
  const tested: Omit<AltTestAnnotator, 'rejected'>[] = [];
  const excluded: AltTestResult['excluded'] = [];
  for (const [annotator, { wf, wh, d }] of diffs) {
    const n = d.length;
    if (n < Math.max(2, minItems)) {
      excluded.push({
        annotator,
        n,
        reason: `${n} instance(s) with the LLM and another human; needs ${Math.max(2, minItems)}`,
      });
      continue;
    }
    const mean = d.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    const t = sd > 0 ? (mean - epsilon) / (sd / Math.sqrt(n)) : null;
    const pValue = t === null ? (mean < epsilon ? 0 : 1) : studentTCdf(t, n - 1);
    tested.push({ annotator, n, rhoF: wf / n, rhoH: wh / n, t, pValue });
  }
  const rejected = benjaminiYekutieli(
    tested.map((a) => a.pValue),
    alpha,
  );
  const annotators = tested.map((a, i) => ({ ...a, rejected: rejected[i] === true }));
  const base = { epsilon, alpha, items: usable.length, annotators, excluded };
  if (annotators.length === 0) {
    return {
      ...base,
      winningRate: null,
      advantageProbability: null,
      passed: false,
      reason: 'no annotator could be tested',
    };
  }
  const winningRate = annotators.filter((a) => a.rejected).length / annotators.length;
  const advantageProbability = annotators.reduce((s, a) => s + a.rhoF, 0) / annotators.length;
  return { ...base, winningRate, advantageProbability, passed: winningRate >= 0.5 };
}
