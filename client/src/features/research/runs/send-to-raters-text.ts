import type { CandidatesPreview, Withdrawn } from '../../../../../shared/schemas/api-studies.ts';
import { count, plural } from '../format.ts';
import { MODE_LABELS } from './run-form-model.ts';

/**
 * What the "Send to raters" confirm dialog and its results say, from the server's dry run. Plain functions so the
 * wording (the test-model warning above all) is unit-tested without a browser.
 */

/** "scripted (offline test model!)" for the test model, else the model's name. */
function modelLabel(model: string, testModel: boolean): string {
  return testModel ? `${model} (offline test model!)` : model;
}

/** The question the dialog asks: "Add 192 answers from model scripted (offline test model!) to the rating queue?" */
export function confirmQuestion(preview: CandidatesPreview): string {
  if (preview.wouldAdd === 0) return 'Nothing new to add: every one of these answers is already in the rating queue.';
  const models = [
    ...new Map(
      preview.groups.filter((g) => g.wouldAdd > 0).map((g) => [g.model, modelLabel(g.model, g.testModel)]),
    ).values(),
  ];
  const from = models.length === 1 ? `model ${models[0] ?? ''}` : `models ${models.join(', ')}`;
  return `Add ${plural(preview.wouldAdd, 'answer')} from ${from} to the rating queue?`;
}

/** One line per model and condition: "Discovery · scripted (offline test model!): 64 to add, 2 already queued". */
export function groupLines(preview: CandidatesPreview): string[] {
  return preview.groups.map((g) => {
    const queued = g.unchanged > 0 ? `, ${count(g.unchanged)} already queued` : '';
    return `${MODE_LABELS[g.mode]} · ${modelLabel(g.model, g.testModel)}: ${count(g.wouldAdd)} to add${queued}`;
  });
}

/** The warning shown (and the confirm button turned red) when the offline test model's answers would go to raters. */
export function testModelWarning(preview: CandidatesPreview): string | null {
  if (!preview.testModel) return null;
  const names = [...new Set(preview.groups.filter((g) => g.testModel && g.wouldAdd > 0).map((g) => g.model))];
  return (
    `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} the offline test model: canned answers for trying the ` +
    'app, not research data. Raters who are paid per answer would be paid to rate them.'
  );
}

/** What adding these would do to the dialogue raters see (docs/studies-and-ratings.md, "Blinding"). */
export function transcriptNotice(preview: CandidatesPreview): string | null {
  return preview.hidesTranscripts
    ? 'Raters see the dialogue before each answer now. Some of these answers have none (baseline or oracle), so from ' +
        'then on no rater sees any dialogue: showing it for some answers only would tell raters which is which.'
    : null;
}

/** The outcome of a withdrawal, in words. */
export function withdrawnText(result: Withdrawn): string {
  if (result.withdrawn === 0 && result.kept === 0) return 'None of these answers was in the rating queue.';
  const kept = result.kept > 0 ? ` ${plural(result.kept, 'answer')} already rated stay, with their ratings.` : '';
  return `${plural(result.withdrawn, 'answer')} withdrawn: no rater will be given them.${kept}`;
}
