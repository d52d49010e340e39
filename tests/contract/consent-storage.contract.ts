import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewConsentDecision } from '../../server/storage/consent-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';

const T0 = new Date('2030-03-01T10:00:00.000Z');
const T1 = new Date('2030-03-01T11:00:00.000Z');
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** What this contract uses of a storage. */
export type ConsentContractStorage = Pick<Storage, 'consent' | 'people' | 'createStudy' | 'close'>;

/**
 * The behaviour every `Storage.consent` implementation must have. Run it from one test file per implementation:
 * `consentStorageContract('sqlite', () => SqliteStorage.open(...))`.
 */
export function consentStorageContract(name: string, open: () => Promise<ConsentContractStorage>): void {
  describe(`ConsentStorage contract: ${name}`, () => {
    let storage: ConsentContractStorage;
    let studyId: string;
    beforeEach(async () => {
      storage = await open();
      studyId = (await storage.createStudy({ name: 'Consent' })).id;
    });
    afterEach(async () => {
      await storage.close();
    });

    const join = async (pid?: string): Promise<string> =>
      (
        await storage.people.findOrCreateParticipant({
          studyId,
          role: 'actor',
          prolific: pid ? { prolificPid: pid, prolificStudyId: 'ps', prolificSessionId: 'ss' } : {},
        })
      ).participant.id;
    const decision = (participantId: string, over: Partial<NewConsentDecision> = {}): NewConsentDecision => ({
      participantId,
      studyId,
      role: 'actor',
      language: 'en',
      text: 'Text A',
      sha256: HASH_A,
      decision: 'agreed',
      now: T0,
      ...over,
    });

    it('stores an agreement with its version; one text is one version, a changed text a new one', async () => {
      const first = await join('pid-1');
      const second = await join('pid-2');
      const third = await join('pid-3');
      expect(await storage.consent.getDecision(first)).toBeNull();
      const stored = await storage.consent.recordDecision(decision(first));
      expect(stored).toMatchObject({ participantId: first, studyId, decision: 'agreed', decidedAt: T0.toISOString() });
      expect(stored.version).toMatchObject({ role: 'actor', language: 'en', sha256: HASH_A, text: 'Text A' });
      await storage.consent.recordDecision(decision(second, { now: T1 }));
      await storage.consent.recordDecision(decision(third, { text: 'Text B', sha256: HASH_B, now: T1 }));
      const versions = await storage.consent.listVersions(studyId);
      expect(versions.map((v) => [v.sha256, v.text, v.firstSeenAt])).toEqual([
        [HASH_A, 'Text A', T0.toISOString()],
        [HASH_B, 'Text B', T1.toISOString()],
      ]);
      expect((await storage.consent.getDecision(second))?.version.id).toBe(stored.version.id);
      // The older agreement still names the text that person read.
      expect((await storage.consent.getDecision(first))?.version.text).toBe('Text A');
    });

    it('a participant decides once: the same decision again changes nothing, the other is a conflict', async () => {
      const p = await join('pid-1');
      const stored = await storage.consent.recordDecision(decision(p));
      expect(await storage.consent.recordDecision(decision(p, { now: T1, text: 'Text B', sha256: HASH_B }))).toEqual(
        stored,
      );
      await expect(storage.consent.recordDecision(decision(p, { decision: 'refused' }))).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await storage.consent.getDecision(p)).toEqual(stored);
      expect(await storage.consent.listVersions(studyId)).toHaveLength(1);
    });

    it('a refusal keeps only itself: the Prolific ids are blanked in the same step', async () => {
      const p = await join('pid-refuses');
      const stored = await storage.consent.recordDecision(decision(p, { decision: 'refused', now: T1 }));
      expect(stored).toMatchObject({ decision: 'refused', decidedAt: T1.toISOString() });
      const participant = await storage.people.getParticipant(p);
      expect(participant?.prolificPid).toBeUndefined();
      expect(participant?.prolificStudyId).toBeUndefined();
      expect(participant?.prolificSessionId).toBeUndefined();
    });

    it('refuses an unknown participant or one of another study, storing nothing', async () => {
      await expect(storage.consent.recordDecision(decision('nobody'))).rejects.toMatchObject({ code: 'not_found' });
      const p = await join();
      const other = (await storage.createStudy({ name: 'Other' })).id;
      await expect(storage.consent.recordDecision(decision(p, { studyId: other }))).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(await storage.consent.getDecision(p)).toBeNull();
      expect(await storage.consent.listVersions(studyId)).toEqual([]);
    });
  });
}
