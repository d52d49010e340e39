import { t } from '../../i18n/index.ts';

/**
 * What a preference's value means for this persona, read from the preference's own `value_range`
 * (docs/data-formats.md), e.g. "1-5 (1: roots feel like magic, 5: manipulates radicals freely)". A bare "2" cannot be
 * played; "2 of 1–5, toward 'roots feel like magic'" can. The rubric's levels are not used: they score the model's
 * answer (level 1 is a poor answer), not the person, and usually name only 1, 3 and 5.
 */

export interface ScaleAnchor {
  point: number;
  text: string;
}

export type ValueMeaning =
  | {
      kind: 'scale';
      min: number;
      max: number;
      /** The named points of the scale, in order (usually its two ends). */
      anchors: ScaleAnchor[];
      /** The anchor's text when the value sits exactly on a named point. */
      at: string | null;
      /** The named point(s) nearest the value: one, or two when it sits midway between them. */
      nearest: ScaleAnchor[];
    }
  /** A range that is not a numeric scale with named points (a list of options, free text): shown as written. */
  | { kind: 'text'; range: string };

const SCALE = /^\s*(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*\((.*)\)\s*$/s;
const ANCHOR = /^\s*(\d+(?:\.\d+)?)\s*[:=]\s*(.+?)\s*$/s;

function numberOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** Reads the anchors of "1: a, 5: b" (commas or semicolons before the next "n:" split them; text may hold commas). */
function anchorsOf(inner: string): ScaleAnchor[] | null {
  const parts = inner.split(/[,;]\s*(?=\d+(?:\.\d+)?\s*[:=])/);
  const anchors: ScaleAnchor[] = [];
  for (const part of parts) {
    const m = ANCHOR.exec(part);
    if (!m) return null;
    anchors.push({ point: Number(m[1]), text: m[2] ?? '' });
  }
  return anchors.sort((a, b) => a.point - b.point);
}

/** The meaning of `value` on `valueRange`, or null when there is no range to read. */
export function valueMeaning(value: unknown, valueRange: string | null): ValueMeaning | null {
  if (valueRange === null || valueRange.trim() === '') return null;
  const range = valueRange.trim();
  const n = numberOf(value);
  const scale = SCALE.exec(range);
  if (n === null || !scale) return { kind: 'text', range };
  const min = Number(scale[1]);
  const max = Number(scale[2]);
  const anchors = anchorsOf(scale[3] ?? '');
  if (!anchors || anchors.length === 0 || !(min < max) || n < min || n > max) return { kind: 'text', range };
  const distance = Math.min(...anchors.map((a) => Math.abs(a.point - n)));
  return {
    kind: 'scale',
    min,
    max,
    anchors,
    at: anchors.find((a) => a.point === n)?.text ?? null,
    nearest: anchors.filter((a) => Math.abs(a.point - n) === distance),
  };
}

/**
 * What to show beside the value: where it sits (`where`, read after the number) and the range itself under `label`
 * ("Options" for a list of choices such as "one of: a, b, c", else "Scale").
 */
export function meaningText(meaning: ValueMeaning): {
  where: string | null;
  label: string;
  scale: string;
} {
  if (meaning.kind === 'text') {
    const options = /^one of:\s*/i.exec(meaning.range);
    return options
      ? { where: null, label: t('meaning.options'), scale: meaning.range.slice(options[0].length) }
      : { where: null, label: t('meaning.scale'), scale: meaning.range };
  }
  const scale = meaning.anchors.map((a) => `${a.point} = ${a.text}`).join(' · ');
  const [first, second] = meaning.nearest;
  const where = meaning.at
    ? t('meaning.at', { text: meaning.at })
    : second && first
      ? t('meaning.midway', { first: first.text, second: second.text })
      : t('meaning.leaning', { text: first?.text ?? '' });
  const range = { min: meaning.min, max: meaning.max, where };
  return {
    where: meaning.at ? t('meaning.whereAt', range) : t('meaning.whereNear', range),
    label: t('meaning.scale'),
    scale,
  };
}
