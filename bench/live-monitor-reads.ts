import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LIVE_EPISODES_PAGE } from '../shared/schemas/api-research.ts';
import { LIVE_UNITS_PAGE } from '../shared/schemas/api-live-sessions.ts';
import { signInResearcher } from '../tests/support/auth-helpers.ts';
import { messageEvent } from '../tests/support/episode-events.ts';
import { runningEpisodeSummary } from '../tests/support/episode-summary.ts';
import { startOpenStudyApp } from '../tests/support/open-study-app.ts';

/**
 * What the researcher's Live tab costs the server to answer in a large study, without load beside it: the app on a
 * fresh SQLite file, the sample study holding `episodes` live episodes (default 2,000, half of them running, 12
 * events each), each on a unit its person leased (one in ten of the ended ones still held), and each of the tab's reads, as the console makes them (a page of 25) and whole, `rounds` times
 * (default 9; the median is printed with the answer's size). Each read holds the live loop while it runs.
 * `npx tsx bench/live-monitor-reads.ts [episodes] [rounds]`
 */

const episodes = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 9);
if (!Number.isInteger(episodes) || episodes < 1 || !Number.isInteger(rounds) || rounds < 1)
  throw new Error('usage: npx tsx bench/live-monitor-reads.ts [episodes ≥ 1] [rounds ≥ 1]');

const dir = mkdtempSync(join(tmpdir(), 'monitor-reads-'));
const app = await startOpenStudyApp(join(dir, 'monitor-reads.sqlite'));
const { storage, studyId } = app;
try {
  // Enough plays per record for every person to hold a unit (the sample has 64 records).
  const units = (await storage.work.listProblemIds(studyId)).map((problemId) => ({ problemId, model: 'scripted' }));
  const settings = await storage.work.getSettings(studyId);
  if (!settings) throw new Error('the open study has no settings');
  await storage.work.saveSettings(studyId, { ...settings, playsPerRecord: 100 }, new Date(), units);
  for (let i = 0; i < episodes; i++) {
    const { participant } = await storage.people.findOrCreateParticipant({ studyId, role: 'actor', prolific: {} });
    const claim = await storage.work.leaseNextPlay(studyId, participant.id, new Date());
    if (claim.kind !== 'leased') throw new Error(`episode ${i}: no unit to play (${claim.reason})`);
    const id = `live-${i}`;
    await storage.live.begin({
      summary: runningEpisodeSummary(id, { userSeat: 'person' }),
      studyId,
      participantId: participant.id,
      assignmentId: claim.lease.id,
      spec: { maxTurns: 5 },
    });
    for (let seq = 0; seq < 12; seq++) {
      const asked = seq % 2 === 0;
      await storage.live.append(
        id,
        messageEvent(seq, { role: asked ? 'assistant' : 'user', kind: asked ? 'question' : 'reply' }),
      );
    }
    if (i < episodes / 2)
      await storage.live.finish(id, {
        status: 'completed',
        weightedScore: 3,
        correct: 1,
        interactionTurns: 6,
        failure: null,
      });
    // Most people who finish give their unit back; one in ten leaves it held.
    if (i < episodes / 2 && i % 10 !== 0) await storage.work.endPlayLease(claim.lease.id, 'completed', new Date());
  }
  const { cookie } = await signInResearcher(app);
  const reads = [
    `live-episodes?offset=0&limit=${LIVE_EPISODES_PAGE}`,
    'live-episodes',
    'live-health',
    `live-units?offset=0&limit=${LIVE_UNITS_PAGE}`,
    'live-units',
  ];
  process.stdout.write(`${episodes} live episodes, ${rounds} rounds: median ms, answer bytes\n`);
  for (const read of reads) {
    const ms: number[] = [];
    let bytes = 0;
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      const res = await app.app.inject({ method: 'GET', url: `/api/studies/${studyId}/${read}`, headers: { cookie } });
      ms.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`${read}: ${res.statusCode} ${res.body}`);
      bytes = res.rawPayload.length;
    }
    ms.sort((a, b) => a - b);
    process.stdout.write(
      `  ${read.padEnd(36)} ${(ms[Math.floor(rounds / 2)] ?? 0).toFixed(1).padStart(7)}  ${bytes}\n`,
    );
  }
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
