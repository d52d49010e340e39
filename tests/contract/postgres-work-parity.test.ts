import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import {
  ALWAYS_GOLD,
  NEVER_GOLD,
  T0,
  goldCandidate,
  minutesAfter,
  settings,
  storeEpisode,
  studyWithRecords,
} from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();

/**
 * One scripted study on a store, every answer recorded: judgments of every kind (rating, can't judge, revisions both
 * ways, a late rating refused at k, gold checks), flags, withdrawals, plays and outcomes, then the researcher's views.
 * Each claim has one answer it can give, so the script does not depend on random item ids; the ids a store makes up
 * (study, items, leases) are replaced by names in order of appearance, so two stores' records can be compared.
 */
async function script(storage: Storage): Promise<string> {
  const log: unknown[] = [];
  const note = (step: string, value: unknown): void => void log.push([step, value]);
  const w = storage.work;
  const { studyId, problemIds } = await studyWithRecords(storage, 'Parity', 2);
  const [p0 = '', p1 = ''] = problemIds;
  const base = { raterOverlap: 2, goldRate: 0.5, leaseMinutes: 10, quotas: { ratingsPerRater: 10, playsPerActor: 2 } };
  await w.saveSettings(studyId, settings(base), T0, [
    { problemId: p0, model: 'model-a' },
    { problemId: p1, model: 'model-a' },
  ]);
  note('problems', await w.listProblemIds(studyId));
  for (const id of ['ep-a', 'ep-b']) await storeEpisode(storage, id, p0);
  const episode = (id: string, answer: string) => ({
    problemId: p0,
    sourceEpisodeId: id,
    sourceParticipantId: null,
    answer,
    transcript: [{ role: 'user' as const, content: `about ${answer}` }],
    gold: null,
  });
  note('add', await w.addRatingCandidates(studyId, [episode('ep-a', 'A'), goldCandidate(p1, 'G')], T0));
  note('add again', await w.addRatingCandidates(studyId, [episode('ep-a', 'A')], T0));
  note('queued', await w.queuedEpisodes(studyId, ['ep-a', 'ep-b', 'ep-a']));
  note('no dialogue', await w.countCandidatesWithoutTranscript(studyId));

  const rate = (participantId: string, itemId: string, at: Date, attentionPassed: boolean | null = null) =>
    w.submitRating({
      studyId,
      participantId,
      itemId,
      scores: { a: 3 },
      correct: 1,
      justification: 'j',
      secondsSpent: 2,
      attentionPassed,
      now: at,
    });
  const claim = async (rater: string, at: Date, gold: boolean) => {
    const c = await w.leaseNextRating(studyId, rater, at, gold ? ALWAYS_GOLD : NEVER_GOLD);
    note(`claim ${rater}`, c);
    return c.kind === 'leased' ? c.lease.itemId : '';
  };
  const g = await claim('r1', T0, true);
  note('gold rated', await rate('r1', g, T0, false));
  const a = await claim('r1', T0, true);
  note('held again', await w.leaseNextRating(studyId, 'r1', T0, NEVER_GOLD));
  note('available r1', await w.availableFor(studyId, 'r1', T0));
  const skip = { studyId, participantId: 'r1', itemId: a, reason: 'unclear_task' as const, note: 'n', secondsSpent: 1 };
  note('skip', await w.skipRating({ ...skip, now: T0 }));
  note('skip twice', await w.skipRating({ ...skip, now: T0 }));
  note('latest', await w.latestJudgment(studyId, 'r1'));
  const scores = {
    kind: 'scores' as const,
    scores: { a: 2 },
    correct: 0 as const,
    justification: 'r',
    attentionPassed: null,
  };
  const revise = (verdict: typeof scores | { kind: 'cant_judge'; reason: 'other'; note: string }, itemId = a) =>
    w.reviseLatest({ studyId, participantId: 'r1', itemId, verdict, secondsSpent: 3, now: minutesAfter(T0, 1) });
  note('revise to scores', await revise(scores));
  note('revise to cant judge', await revise({ kind: 'cant_judge', reason: 'other', note: 'x' }));
  note('revise other item', await revise(scores, g));
  note('tally r1', [
    await w.attentionTally(studyId, 'r1'),
    await w.countRatings(studyId, 'r1'),
    await w.countSkips(studyId, 'r1'),
  ]);

  // k = 2: r2's lease lapses, r3 rates and r4 holds the answer, so r2's late rating is refused.
  await claim('r2', T0, false);
  await claim('r3', minutesAfter(T0, 11), false);
  note('r3 rated', await rate('r3', a, minutesAfter(T0, 11)));
  await claim('r4', minutesAfter(T0, 11), false);
  note('r2 late', await rate('r2', a, minutesAfter(T0, 12)));
  note('r5 gets gold', await w.leaseNextRating(studyId, 'r5', minutesAfter(T0, 12), NEVER_GOLD));
  note('r4 lease', await w.findRatingLease(studyId, 'r4', a));
  note('r4 rated', await rate('r4', a, minutesAfter(T0, 12)));
  note('r1 revise to scores now full', await revise(scores));
  const flag = (participantId: string, itemId: string) =>
    w.flagItem({ studyId, participantId, itemId, kind: 'broken', note: participantId, now: T0 });
  note('flags', [await flag('r1', a), await flag('r1', a), await flag('r5', a), await flag('r1', 'nope')]);

  await storeEpisode(storage, 'ep-c', p1);
  await w.addRatingCandidates(studyId, [{ ...episode('ep-c', 'C'), problemId: p1, transcript: null }], T0);
  note('withdraw unknown', await w.withdrawRatingCandidates(studyId, { itemIds: [a, 'nope'] }, T0));
  note('withdraw', await w.withdrawRatingCandidates(studyId, { episodeIds: ['ep-a', 'ep-c', 'ep-x'] }, T0));
  note('withdraw again', await w.withdrawRatingCandidates(studyId, { episodeIds: ['ep-c'] }, T0));
  note('no dialogue after', await w.countCandidatesWithoutTranscript(studyId));

  const play = await w.leaseNextPlay(studyId, 'actor-1', T0);
  note('play', play);
  const leaseId = play.kind === 'leased' ? play.lease.id : '';
  await w.attachPlayEpisode(leaseId, 'ep-a');
  note('renew', await w.renewPlayLease(leaseId, minutesAfter(T0, 5)));
  note('complete', await w.endPlayLease(leaseId, 'completed', minutesAfter(T0, 6)));
  note('release completed', await w.endPlayLease(leaseId, 'released', minutesAfter(T0, 7)));
  note('play 2', await w.leaseNextPlay(studyId, 'actor-1', minutesAfter(T0, 7)));
  note('play other', await w.leaseNextPlay(studyId, 'actor-2', minutesAfter(T0, 7)));
  note('plays taken', await w.playsTaken(studyId, 'actor-1'));
  await w.saveSettings(studyId, settings({ ...base, status: 'paused' }), T0);
  note('paused held', await w.leaseNextPlay(studyId, 'actor-1', minutesAfter(T0, 8)));
  note('paused new', await w.leaseNextPlay(studyId, 'actor-3', minutesAfter(T0, 8)));

  const end = (outcome: 'completed' | 'timed_out', at: Date) =>
    w.recordOutcome({ studyId, participantId: 'actor-1', outcome, completionCode: outcome, now: at });
  note('outcomes', [
    await end('timed_out', T0),
    await end('completed', minutesAfter(T0, 1)),
    await end('timed_out', minutesAfter(T0, 2)),
  ]);
  note('outcome', await w.getOutcome('actor-1'));

  note('ratings', await w.listRatings(studyId));
  note('flags listed', await w.listFlags(studyId));
  note('progress', await w.progress(studyId, minutesAfter(T0, 12)));

  // Made-up ids, named: items by their place in the queue, the study, and leases (UUIDs) in order of appearance.
  const items = (await w.progress(studyId, T0)).candidates.map((c) => c.itemId);
  let text = JSON.stringify(log).replaceAll(`"${studyId}"`, '"study"');
  items.forEach((itemId, i) => (text = text.replaceAll(`"${itemId}"`, `"item-${i}"`)));
  const leases = new Map<string, string>();
  return text.replace(/"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"/g, (id: string) => {
    if (!leases.has(id)) leases.set(id, `"lease-${leases.size}"`);
    return leases.get(id) ?? id;
  });
}

describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL study work against SQLite'), () => {
  const postgres = usePostgres();
  const openOn = async (url: string): Promise<PostgresStorage> => PostgresStorage.open({ url, maxConnections: 4 });

  it('a scripted study gives the same answers, step by step, on PostgreSQL as on SQLite', async () => {
    const sqlite = SqliteStorage.open({ file: join(dir, 'parity.sqlite') });
    const onSqlite = await script(sqlite);
    await sqlite.close();
    const pg = await openOn((await postgres.migratedDatabase()).url);
    const onPostgres = await script(pg);
    await pg.close();
    expect(JSON.parse(onPostgres)).toEqual(JSON.parse(onSqlite));
    // The script reached the refusals it is there for.
    for (const outcome of ['already_rated', 'not_leased', 'answer_full', 'not_latest', 'study_not_open'])
      expect(onSqlite).toContain(outcome);
  });
});
