import type { ProlificIds } from '../../storage/people-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { StudyPseudonyms } from './pseudonyms.ts';

/** The Prolific columns every export row that names a participant carries, in file order. */
export const PROLIFIC_COLUMNS = ['prolific_pid', 'prolific_study_id', 'prolific_session_id'] as const;

export type ProlificCells = Record<(typeof PROLIFIC_COLUMNS)[number], string | null>;

/** The real Prolific ids: only the payment list (the participants table) carries these. */
export function prolificCells(ids: ProlificIds | undefined): ProlificCells {
  return {
    prolific_pid: ids?.prolificPid ?? null,
    prolific_study_id: ids?.prolificStudyId ?? null,
    prolific_session_id: ids?.prolificSessionId ?? null,
  };
}

/** The Prolific ids as the study's pseudonyms, for the analysis exports. */
export function pseudonymousProlificCells(ids: ProlificIds | undefined, names: StudyPseudonyms): ProlificCells {
  return {
    prolific_pid: names.name('prolificPid', ids?.prolificPid),
    prolific_study_id: names.name('prolificStudy', ids?.prolificStudyId),
    prolific_session_id: names.name('prolificSession', ids?.prolificSessionId),
  };
}

/**
 * Prolific ids for analysis export rows, as pseudonyms, read as the rows need them: `load` fetches the ids not seen yet in one storage call
 * (a page of episodes, a batch of ratings), `cells` then answers without storage. Only participants the export meets
 * are kept, one short entry each.
 */
export class ProlificLookup {
  private readonly known = new Map<string, ProlificIds>();
  constructor(
    private readonly storage: Storage,
    private readonly names: StudyPseudonyms,
  ) {}

  /** A lookup naming people by the pseudonyms of this study. */
  static async forStudy(storage: Storage, studyId: string): Promise<ProlificLookup> {
    return new ProlificLookup(storage, await StudyPseudonyms.of(storage, studyId));
  }

  async load(participantIds: readonly (string | null)[]): Promise<void> {
    const missing = [...new Set(participantIds)].filter((id): id is string => id !== null && !this.known.has(id));
    if (missing.length === 0) return;
    const found = await this.storage.research.prolificIds(missing);
    // Ids without a participant row are remembered as having no Prolific ids, so they are not asked for again.
    for (const id of missing) this.known.set(id, found.get(id) ?? {});
  }

  cells(participantId: string | null): ProlificCells {
    return pseudonymousProlificCells(participantId === null ? undefined : this.known.get(participantId), this.names);
  }

  /** The participant's own pseudonym, for the `participant_id` column. */
  participant(participantId: string | null): string | null {
    return this.names.name('participant', participantId);
  }
}
