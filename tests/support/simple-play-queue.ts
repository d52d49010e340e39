import type { LivePlaySettings, PlayQueue, PlayUnit } from '../../server/services/live/live-types.ts';
import type { Storage } from '../../server/storage/storage.ts';

/** Hands out a study's records in order, one play each, with fixed settings: live-play tests without study setup. */
export function simplePlayQueue(
  storage: Storage,
  model: string,
  settings: Partial<LivePlaySettings> = {},
): PlayQueue & { completed: string[] } {
  const handed = new Set<string>();
  const completed: string[] = [];
  return {
    completed,
    async nextPlay(studyId: string): Promise<PlayUnit | null> {
      const page = await storage.listRecords(studyId, { offset: 0, limit: 500 });
      const next = page.items.find((r) => !handed.has(r.problemId));
      if (!next) return null;
      handed.add(next.problemId);
      return { assignmentId: null, studyId, problemId: next.problemId, model };
    },
    async completePlay(_assignment, studyId, participantId) {
      completed.push(`${studyId}/${participantId}`);
      return 'CODE-DONE';
    },
    async settings() {
      return {
        mode: 'infer_persona',
        judgeModel: 'scripted',
        simulatorModel: 'scripted',
        maxTurns: 5,
        idleTimeoutSeconds: 300,
        instructions: 'Play the persona.',
        simulatedTwin: true,
        ...settings,
      };
    },
  };
}
