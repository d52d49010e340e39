import type { AgreementReport, Estimate } from '../../../shared/schemas/agreement.ts';

/** The report as aligned text tables for a terminal (`prefdisco agreement` without --json). */

const num = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));

class Notes {
  readonly reasons = new Set<string>();
  cell(e: Estimate): string {
    if (e.value === null) {
      if (e.reason) this.reasons.add(e.reason);
      return '—';
    }
    const ci = e.ci && e.ci.low !== null ? ` [${num(e.ci.low, 2)}, ${num(e.ci.high, 2)}]` : '';
    return `${num(e.value)}${ci}`;
  }
}

function table(title: string, header: string[], rows: string[][], notes?: Notes): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`;
  const out = [title, line(header), ...rows.map(line)];
  if (rows.length === 0) out.push('  (no rows)');
  for (const reason of notes?.reasons ?? []) out.push(`  — ${reason}`);
  return out.join('\n');
}

export function reportText(r: AgreementReport): string {
  const c = r.counts;
  const parts = [
    `Agreement report · study "${r.studyName}" · ${c.ratedItems} rated answers, ${c.ratings} ratings by ${c.raters} raters; ` +
      `${c.liveEpisodes} live episodes, ${c.twinEpisodes} simulated twins, ${c.baselineEpisodes} generic baselines`,
    `95% percentile bootstrap (${r.settings.resamples} resamples, seed ${r.settings.seed}); Alt-Test ε = ${r.settings.epsilon}; report ${r.reportSha256}`,
  ];
  const test = r.provenance.testModels;
  if (test.length > 0)
    parts.push(
      `note: ${test.join(', ')} ${test.length === 1 ? 'is the offline test model' : 'are offline test models'}: demo numbers, not research results.`,
    );
  let n = new Notes();
  parts.push(
    table(
      '\nJudge vs humans (ceiling: each rater vs the others, and the judge vs the same others)',
      [
        'criterion',
        'items',
        'κw raters',
        'κw median',
        'α humans',
        'α +judge',
        'Spearman',
        'MAE',
        'LOO MAE h',
        'LOO MAE judge',
        'exact h',
        'exact judge',
        'Alt ω',
        'Alt ρ',
        'passed',
      ],
      r.judgeVsHumans.rows.map((x) => [
        x.criterion,
        String(x.items),
        n.cell(x.kappaVsRaters),
        n.cell(x.kappaVsMedian),
        n.cell(x.alphaHumans),
        n.cell(x.alphaWithJudge),
        n.cell(x.spearman),
        n.cell(x.mae),
        n.cell(x.ceiling.humanMae),
        n.cell(x.ceiling.judgeMae),
        n.cell(x.ceiling.humanExact),
        n.cell(x.ceiling.judgeExact),
        num(x.altTest.winningRate, 2),
        num(x.altTest.advantageProbability, 2),
        x.altTest.passed ? 'yes' : 'no',
      ]),
      n,
    ),
  );
  parts.push(
    `  correctness: κ judge vs rater majority ${n.cell(r.judgeVsHumans.correctnessKappa)} (n=${r.judgeVsHumans.correctnessKappa.n})`,
  );
  n = new Notes();
  parts.push(
    table(
      `\nSelf-ratings (${r.selfRatings.items} answers)`,
      ['comparison', 'MAE', 'Spearman', 'κw'],
      r.selfRatings.comparisons.map((x) => [x.comparison, n.cell(x.mae), n.cell(x.spearman), n.cell(x.kappaW)]),
      n,
    ),
  );
  n = new Notes();
  parts.push(
    table(
      `\nDisclosure, person vs simulated twin (${r.disclosure.units} turn × preference units)`,
      ['scope', 'value', 'κ', 'agreement', 'n'],
      r.disclosure.rows.map((x) => [x.scope, x.value, n.cell(x.kappa), n.cell(x.agreement), String(x.kappa.n)]),
      n,
    ),
  );
  parts.push(
    `  same revealed value when both revealed: ${n.cell(r.disclosure.revealedValueAgreement)} (n=${r.disclosure.revealedValueAgreement.n})`,
  );
  const o = r.outcomes;
  n = new Notes();
  parts.push(
    `\nOutcomes, person-played vs simulator-played PrefAlign (${o.pairs} record × model pairs)\n` +
      `  Pearson ${n.cell(o.pearson)}; Spearman ${n.cell(o.spearman)}; Bland–Altman bias ${num(o.blandAltman.meanDifference)}, ` +
      `limits [${num(o.blandAltman.lower)}, ${num(o.blandAltman.upper)}]; model ranking τ-b ${num(o.modelRankingTau.value)}` +
      `${o.modelRankingTau.reason ? ` (${o.modelRankingTau.reason})` : ''}\n` +
      `  worse than generic: person ${n.cell(o.worseThanGeneric.human)}, simulator ${n.cell(o.worseThanGeneric.simulator)}` +
      [...n.reasons].map((x) => `\n  — ${x}`).join(''),
  );
  parts.push(
    table(
      '\nBehaviour',
      ['measure', 'person mean', 'n', 'simulator mean', 'n', 'KS D', 'p'],
      r.behaviour.rows.map((x) => [
        x.measure,
        num(x.humanMean, 2),
        String(x.humanN),
        num(x.simulatorMean, 2),
        String(x.simulatorN),
        num(x.ks.value),
        num(x.ks.pValue),
      ]),
    ),
  );
  n = new Notes();
  parts.push(
    table(
      '\nSlices (judge vs humans)',
      ['dimension', 'value', 'κw', 'MAE'],
      r.slices.rows.map((x) => [x.dimension, x.value, n.cell(x.kappaW), n.cell(x.mae)]),
      n,
    ),
  );
  parts.push(
    table(
      `\nDisagreeing answers (${r.disagreements.length})`,
      ['item', 'problem', 'criterion', 'judge', 'human median', 'human scores'],
      r.disagreements.map((d) => [
        d.itemId,
        d.problemId,
        d.criterion,
        num(d.judge, 1),
        num(d.humanMedian, 1),
        d.humanScores.join(' '),
      ]),
    ),
  );
  return parts.join('\n');
}
