import type { Logger } from '../logger.ts';
import type { Storage } from '../../storage/storage.ts';
import { deleteParticipant } from './participant-deletion.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One study the purge looked at: due (its retention ran out) with how many participants it deletes or would. */
export interface PurgeStudy {
  studyId: string;
  studyName: string;
  retentionDays: number;
  closedAt: string;
  /** When the data is due to go: closedAt + retentionDays. */
  dueAt: string;
  participants: number;
}

/**
 * The retention purge (docs/data-protection.md, "Retention"): every closed study with `retentionDays` > 0 whose
 * retention has run out at `now` loses all its participants, each deleted as a withdrawal deletes (recorded as
 * 'retention'). With `dryRun` nothing is deleted: the same list says what would go. One log line per study purged.
 */
export async function purgeExpired(
  storage: Storage,
  options: { now?: Date; dryRun?: boolean; log?: Logger } = {},
): Promise<PurgeStudy[]> {
  const now = options.now ?? new Date();
  const due: PurgeStudy[] = [];
  for (const { studyId, closedAt } of await storage.deletions.listClosedStudies()) {
    const settings = await storage.work.getSettings(studyId);
    const days = settings?.retentionDays ?? 0;
    if (days === 0) continue;
    const dueAt = new Date(new Date(closedAt).getTime() + days * DAY_MS);
    if (dueAt.getTime() > now.getTime()) continue;
    const ids = await storage.deletions.listParticipantIds(studyId);
    if (ids.length === 0) continue;
    const study = await storage.getStudy(studyId);
    due.push({
      studyId,
      studyName: study?.name ?? studyId,
      retentionDays: days,
      closedAt,
      dueAt: dueAt.toISOString(),
      participants: ids.length,
    });
    if (options.dryRun) continue;
    // One transaction per participant: a failure part-way leaves whole people deleted or kept, and the next run
    // picks up the rest.
    for (const id of ids) await deleteParticipant(storage, id, 'retention', now);
    options.log?.info(
      { studyId, retentionDays: days, participants: ids.length },
      'retention purge deleted participants',
    );
  }
  return due;
}

/**
 * Runs the purge now and then every `intervalMs` (a day by default) until stopped; a failed run is logged and the
 * next one tries again. The timer does not keep the process alive.
 */
export function startRetentionPurge(storage: Storage, log: Logger, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = (): void => {
    running = running
      .then(() => purgeExpired(storage, { log }))
      .catch((error: unknown) => log.error({ err: error }, 'retention purge failed'));
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return {
    // Waits for a run in progress, so storage is not closed under it.
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
