import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgreementReport } from '../../shared/schemas/agreement.ts';
import { buildApp } from '../../server/app.ts';
import { agreementReport } from '../../server/services/agreement/agreement-report.ts';
import { openStorage } from '../../server/open-storage.ts';
import { prolificPidHmac } from '../../server/storage/rows/participant-deletion-rows.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { buildAgreementStudy, C1, C2, type AgreementStudy } from '../support/agreement-study.ts';
import { describeOnEngines, type EngineDatabase } from '../support/engine-database.ts';
import { ratedLive, RATINGS, turn } from '../support/rated-live-episodes.ts';

/*
 * A study mid-way (tests/support/agreement-study.ts: five live episodes with twins, baselines, two raters), then one
 * actor and one rater are deleted. Every column of every table is scanned for what identified them or what they typed.
 * On SQLite and on PostgreSQL.
 */
const SETTINGS = { epsilon: 0.1, resamples: 200, seed: 42 };
const KEY = 'test-deletion-key';

/** Text only the deleted actor typed (in L0), and only their twin was given (in T0). */
const ACTOR_TEXT = 'Zebra-striped honeycomb diaries 8841';
const TWIN_TEXT = 'Twin words only for the withdrawn actor 5512';

/** Three live episodes with their twins, a baseline, and two raters' ratings (tests/support/agreement-study.ts). */
const STUDY: Parameters<typeof buildAgreementStudy>[2] = {
  live: ratedLive([turn(ACTOR_TEXT, [[C1], [[C1, '2']]], [[C1], [[C1, '2']]])]),
  twins: [
    { id: 'T0', of: 'L0', score: 2.5, turns: [turn(TWIN_TEXT, [[C1], [[C1, '2']]])] },
    { id: 'T1', of: 'L1', score: 4, turns: [turn('Four', [[C1], [[C1, '4']]])] },
    { id: 'T2', of: 'L2', score: 2, turns: [turn('High please', [[C1], [[C2, 'high']]])] },
  ],
  baselines: [{ record: 0, model: 'model-a', score: 3.25 }],
  ratings: RATINGS,
};

describeOnEngines(
  'deleting a participant',
  (_engine, database) => {
    let db: EngineDatabase;
    let storage: Storage;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let study: AgreementStudy;
    let before: AgreementReport;

    /** Every (table, column) whose value contains one of the needles, from a separate read connection. */
    async function scan(needles: string[]): Promise<string[]> {
      const found: string[] = [];
      const tables = await db.tables();
      expect(tables.length).toBeGreaterThan(20);
      for (const table of tables) {
        for (const row of await db.rows(`SELECT * FROM "${table}"`)) {
          for (const [column, value] of Object.entries(row)) {
            const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
            for (const needle of needles) if (text.includes(needle)) found.push(`${table}.${column} has ${needle}`);
          }
        }
      }
      return found;
    }

    /** Rows of a query (or nothing, for a write), from a connection of its own. */
    const raw = <T>(sql: string, ...params: unknown[]): Promise<T[]> => db.rows<T>(sql, params);

    /** A COUNT(*) AS n query's count (PostgreSQL answers a bigint as text). */
    const count = async (sql: string): Promise<number> => Number((await raw<{ n: unknown }>(sql))[0]?.n);

    beforeAll(async () => {
      db = database();
      storage = await openStorage(db.location, 'tool');
      app = await buildApp({ config: { clientDir: join(db.dir, 'no-client') }, storage, isDeclaredModel: () => true });
      study = await buildAgreementStudy({ app, storage }, db.dir, STUDY);
      before = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;
    }, 60_000);
    afterAll(async () => {
      await app.close();
      await storage.close();
    });

    const actorOf = async (episodeId: string): Promise<string> =>
      (
        (await raw<{ participant_id: string }>('SELECT participant_id FROM episodes WHERE id = ?', episodeId))[0] as {
          participant_id: string;
        }
      ).participant_id;

    /** What identifies a participant in stored rows: their id, Prolific ids (set here, as a Prolific join would), sessions. */
    async function identifiersOf(participantId: string, pid: string): Promise<string[]> {
      // The fixture joins without Prolific ids; give this participant some, as arriving from Prolific would have.
      await raw(
        'UPDATE participants SET prolific_pid = ?, prolific_study_id = ?, prolific_session_id = ? WHERE id = ?',
        pid,
        `study-${pid}`,
        `session-${pid}`,
        participantId,
      );
      const sessions = (
        await raw<{ token_hash: string }>('SELECT token_hash FROM auth_sessions WHERE subject_id = ?', participantId)
      ).map((r) => r.token_hash);
      expect(sessions.length).toBeGreaterThan(0);
      return [participantId, pid, `session-${pid}`, ...sessions];
    }

    it('removes an actor, their episodes, twins, twin job, outcome and the ratings of their answer, and nothing else', async () => {
      const actor = await actorOf('L0');
      const needles = [...(await identifiersOf(actor, 'PID0ACTOR00000000000000A')), ACTOR_TEXT, TWIN_TEXT];
      await storage.jobs.enqueueJob({ kind: 'twin', key: 'twin:L0', payload: { liveEpisodeId: 'L0' } });
      await storage.work.recordOutcome({
        participantId: actor,
        studyId: study.studyId,
        outcome: 'completed',
        completionCode: 'C0DE',
        now: new Date(),
      });
      // Before: the person is in all these places (consent_records: they agreed before playing).
      const places = new Set((await scan(needles)).map((f) => f.split(' has ')[0]));
      for (const place of [
        'participants.prolific_pid',
        'participants.prolific_session_id',
        'auth_sessions.token_hash',
        'auth_sessions.subject_id',
        'episodes.participant_id',
        'episode_events.json',
        'rating_candidates.transcript_json',
        'participant_outcomes.participant_id',
        'consent_records.participant_id',
      ])
        expect(places).toContain(place);
      const otherRows = await raw<{ id: string }>(
        "SELECT id FROM episodes WHERE id IN ('L1', 'L2', 'T1', 'T2') ORDER BY id",
      );

      const result = await storage.deletions.deleteParticipant(actor, { by: { researcherId: 'r-1' }, pidKey: KEY });

      expect(result).toMatchObject({ studyId: study.studyId, episodes: 1, twins: 1, ratings: 2 });
      expect(result.sessionTokenHashes).toHaveLength(1);
      expect(await scan(needles)).toEqual([]);
      expect(await raw("SELECT key FROM jobs WHERE key = 'twin:L0'")).toEqual([]);
      // The others' episodes, twins and the ratings of their answers are untouched.
      expect(await raw("SELECT id FROM episodes WHERE id IN ('L1', 'L2', 'T1', 'T2') ORDER BY id")).toEqual(otherRows);
      expect(await count('SELECT COUNT(*) AS n FROM ratings')).toBe(4);
      expect(await storage.people.getParticipant(actor)).toBeNull();
      // What is kept: study, role, a keyed hash of the Prolific id, when and by whom.
      const kept = await storage.deletions.listDeletions(study.studyId);
      expect(kept).toEqual([
        {
          studyId: study.studyId,
          prolificPidHmac: prolificPidHmac(KEY, 'PID0ACTOR00000000000000A'),
          role: 'actor',
          deletedAt: expect.any(String) as string,
          deletedBy: 'r-1',
        },
      ]);

      const after = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;
      expect(after.reportSha256).not.toBe(before.reportSha256);
      expect(before.counts).toMatchObject({ ratedItems: 3, ratings: 6, liveEpisodes: 3, twinEpisodes: 3 });
      expect(after.counts).toMatchObject({ ratedItems: 2, ratings: 4, liveEpisodes: 2, twinEpisodes: 2 });
      expect(after.provenance.itemIds).not.toContain(study.itemOf.get('L0'));
    });

    it('removes a rater and every judgment they gave; the answers stay for others', async () => {
      const rater = study.raters[0] as string;
      const needles = await identifiersOf(rater, 'PID0RATER00000000000000B');
      const mid = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;

      const result = await storage.deletions.deleteParticipant(rater, { by: 'participant', pidKey: KEY });

      expect(result).toMatchObject({ episodes: 0, twins: 0, ratings: 2 });
      expect(await scan(needles)).toEqual([]);
      expect(await count('SELECT COUNT(*) AS n FROM rating_candidates WHERE source_episode_id IS NOT NULL')).toBe(2);
      const after = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;
      expect(after.reportSha256).not.toBe(mid.reportSha256);
      expect(after.counts).toMatchObject({ ratings: 2, raters: 1 });
      expect((await storage.deletions.listDeletions(study.studyId)).map((d) => d.deletedBy)).toEqual([
        'r-1',
        'participant',
      ]);
    });

    it('is not_found for an unknown participant and then changes nothing', async () => {
      const deletions = await count('SELECT COUNT(*) AS n FROM participant_deletions');
      await expect(
        storage.deletions.deleteParticipant('no-such-participant', { by: 'retention', pidKey: KEY }),
      ).rejects.toMatchObject({ code: 'not_found' });
      expect(await count('SELECT COUNT(*) AS n FROM participant_deletions')).toBe(deletions);
    });
  },
  { migrated: true },
);
