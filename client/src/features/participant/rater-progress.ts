import { t } from '../../i18n/index.ts';
import type { RaterCounts } from '../../../../shared/schemas/live-study.ts';

/**
 * The rater's progress line, saying only what is true. "of up to N" appears only while the queue could still take
 * them to their quota (what they rated + the item in hand + what is available now reaches it); when fewer answers
 * exist, the line says how many are left instead of promising the quota. "Can't judge" answers count as done and are
 * named.
 */
export function raterProgressText(counts: RaterCounts | null, holding: boolean): string {
  if (counts === null || counts.rated === 0) {
    if (counts && !counts.finished && counts.available + (holding ? 1 : 0) < counts.quota)
      return t('progress.firstLeft', { left: left(counts, holding) });
    return t('progress.first');
  }
  const done =
    counts.cantJudge > 0
      ? t('progress.doneCantJudge', { rated: counts.rated, cantJudge: counts.cantJudge })
      : t('progress.rated', { rated: counts.rated });
  if (counts.finished) return t('progress.allDone', { done, quota: counts.quota });
  const reachable = counts.rated + (holding ? 1 : 0) + counts.available >= counts.quota;
  if (reachable) return t('progress.upTo', { done, quota: counts.quota });
  return t('progress.left', { done, left: left(counts, holding) });
}

function left(counts: RaterCounts, holding: boolean): string {
  return t('progress.moreAnswers', { count: counts.available + (holding ? 1 : 0) });
}

/**
 * Whether a rater who has run out of items should be offered to check for more: only while their quota is not met.
 * After the quota there is nothing more to ask for, so the page must not suggest it.
 */
export function mayCheckForMore(counts: RaterCounts | null): boolean {
  return counts === null || !counts.finished;
}
