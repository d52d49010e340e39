import { LiveStudySettingsSchema } from '../../../shared/schemas/live-study.ts';
import type { PlayLease } from '../../storage/study-work-storage.ts';
import type { LivePlaySettings, PlayQueue, PlayUnit } from '../live/live-types.ts';
import { noWork } from './rating-queue.ts';
import type { SettingsDeps } from './study-settings.ts';
import { AppError } from '../../../shared/errors.ts';

/** The actor's assignment in hand, else the least-played unit they may take; `no_work` / `study_closed` otherwise. */
export async function nextPlay(
  deps: SettingsDeps,
  actor: { studyId: string; participantId: string },
): Promise<PlayLease> {
  const claim = await deps.storage.work.leaseNextPlay(actor.studyId, actor.participantId, deps.now());
  if (claim.kind === 'none') throw noWork(claim.reason);
  return claim.lease;
}

/**
 * The study queue as live play sees it (server/services/live/live-types.ts): units come from the study's play
 * leases, completion ends the lease and returns the study's completion code.
 */
export function studyPlayQueue(deps: SettingsDeps): PlayQueue {
  return {
    async nextPlay(studyId, participantId): Promise<PlayUnit | null> {
      const claim = await deps.storage.work.leaseNextPlay(studyId, participantId, deps.now());
      if (claim.kind === 'none') return null;
      return { assignmentId: claim.lease.id, studyId, problemId: claim.lease.problemId, model: claim.lease.model };
    },
    async completePlay(assignmentId, studyId, participantId): Promise<string | null> {
      const settings = await deps.storage.work.getSettings(studyId);
      if (assignmentId !== null) {
        const lease = await deps.storage.work.getPlayLease(assignmentId);
        if (!lease || lease.studyId !== studyId || lease.participantId !== participantId) {
          throw new AppError('forbidden', 'this assignment is not yours');
        }
        await deps.storage.work.endPlayLease(assignmentId, 'completed', deps.now());
      }
      const code = settings?.completionCodes.completed ?? '';
      return code === '' ? null : code;
    },
    async renewPlay(assignmentId): Promise<void> {
      if (assignmentId !== null) await deps.storage.work.renewPlayLease(assignmentId, deps.now());
    },
    async releasePlay(assignmentId): Promise<void> {
      if (assignmentId !== null) await deps.storage.work.endPlayLease(assignmentId, 'released', deps.now());
    },
    async settings(studyId): Promise<LivePlaySettings> {
      // A study without saved settings plays with the defaults, so live play works on an unconfigured study.
      const s = (await deps.storage.work.getSettings(studyId)) ?? LiveStudySettingsSchema.parse({});
      return {
        mode: s.condition,
        judgeModel: s.judgeModel,
        simulatorModel: s.simulatorModel,
        maxTurns: s.maxTurns,
        idleTimeoutSeconds: s.idleTimeoutSeconds,
        idleWarningSeconds: s.idleWarningSeconds,
        instructions: s.instructions.actor,
        simulatedTwin: s.simulatedTwin,
        completionCodes: {
          completed: s.completionCodes.completed || null,
          timedOut: s.completionCodes.timedOut || null,
        },
      };
    },
  };
}
