import { LiveStudySettingsSchema } from '../../../shared/schemas/live-study.ts';
import type { PlayLease } from '../../storage/study-work-storage.ts';
import type { LivePlaySettings, PlayQueue, PlayUnit } from '../live/live-types.ts';
import { endTask, isScreenedOut } from './participant-outcomes.ts';
import { noWork } from './rating-queue.ts';
import type { SettingsDeps } from './study-settings.ts';
import { AppError } from '../../../shared/errors.ts';
import { requireAgreedConsent } from '../consent/consent-decisions.ts';

/** The actor's assignment in hand, else the least-played unit they may take; `no_work` / `study_closed` otherwise. */
export async function nextPlay(
  deps: SettingsDeps,
  actor: { studyId: string; participantId: string },
): Promise<PlayLease> {
  await requireAgreedConsent(deps.storage, actor.participantId);
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
      // Someone who answered "no" to the screening question takes no work, whatever their browser asks.
      if (await isScreenedOut(deps.storage, participantId)) return null;
      // No episode exists for someone who has not agreed to the study's consent (docs/data-protection.md).
      await requireAgreedConsent(deps.storage, participantId);
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
      // Stored, so the end and its code are shown again on another device (a completed play outranks a time-out).
      return endTask(deps, { studyId, participantId }, 'completed', settings ?? undefined);
    },
    async renewPlay(assignmentId): Promise<void> {
      if (assignmentId !== null) await deps.storage.work.renewPlayLease(assignmentId, deps.now());
    },
    async releasePlay(assignmentId, studyId, participantId, outcome): Promise<void> {
      if (assignmentId !== null) await deps.storage.work.endPlayLease(assignmentId, 'released', deps.now());
      // An actor who went idle, or whose conversation the server could not keep, ended as timed out: the partial code,
      // not nothing. A session a researcher ended records no end; the researcher decides (e.g. a unit hoarded).
      if (outcome !== null) await endTask(deps, { studyId, participantId }, outcome);
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
        promptPack: s.promptPack,
        completionCodes: {
          completed: s.completionCodes.completed || null,
          timedOut: s.completionCodes.timedOut || null,
        },
      };
    },
  };
}
