import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { episodeLog } from '../support/study-work-app.ts';
import { tempDir } from '../support/temp-files.ts';

/** Live appends made in the same event-loop turn share one commit; each still succeeds or fails on its own. */

const dir = tempDir('prefdisco-group-commit-');
let n = 0;
let storage: SqliteStorage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

async function twoEpisodes(): Promise<{ s: SqliteStorage; a: EpisodeEvent[]; b: EpisodeEvent[] }> {
  const s = SqliteStorage.open({ file: join(dir, `live-${++n}.sqlite`) });
  storage = s;
  const shape = {
    problemId: 'p1',
    personaId: 'x',
    mode: 'infer_persona',
    userType: 'passive_nostop',
    userSeat: 'person',
    assistantModel: 'm',
    judgeModel: 'j',
    simulatorModel: 's',
    finalAnswer: 'ok',
  } as const;
  const logs = ['ep-a', 'ep-b'].map((id) => episodeLog({ ...shape, id }));
  for (const { summary } of logs)
    await s.live.begin({
      summary: { ...summary, status: 'running' },
      studyId: 'study',
      participantId: 'someone',
      assignmentId: null,
      spec: {},
    });
  return { s, a: logs[0]?.events ?? [], b: logs[1]?.events ?? [] };
}

describe('group commit of live appends', () => {
  it('appends of several episodes in one turn are all stored, in order, and each resolves with its own seq', async () => {
    const { s, a, b } = await twoEpisodes();
    const results = await Promise.all([
      ...a.map((e) => s.live.append('ep-a', e)),
      ...b.map((e) => s.live.append('ep-b', e)),
    ]);
    expect(results.map((r) => r.seq)).toEqual([...a.map((e) => e.seq), ...b.map((e) => e.seq)]);
    expect((await s.live.eventsAfter('ep-a', -1)).map((e) => e.seq)).toEqual(a.map((e) => e.seq));
    expect((await s.live.eventsAfter('ep-b', -1)).map((e) => e.seq)).toEqual(b.map((e) => e.seq));
  });

  it('a conflicting append fails alone: the others of its commit are stored', async () => {
    const { s, a, b } = await twoEpisodes();
    const [first, second] = a;
    if (!first || !second || !b[0]) throw new Error('fixture too short');
    await s.live.append('ep-a', first);
    const outcomes = await Promise.allSettled([
      s.live.append('ep-a', {
        ...first,
        type: 'episode_completed',
        weightedScore: 1,
        correct: 1,
        interactionTurns: 0,
      } as EpisodeEvent),
      s.live.append('ep-a', second),
      s.live.append('ep-b', b[0]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(outcomes[0]?.status === 'rejected' && outcomes[0].reason).toBeInstanceOf(AppError);
    expect((await s.live.eventsAfter('ep-a', -1)).map((e) => `${e.seq}:${e.type}`)).toEqual([
      `0:${first.type}`,
      `1:${second.type}`,
    ]);
    expect((await s.live.eventsAfter('ep-b', -1)).map((e) => e.seq)).toEqual([0]);
  });

  it('what is queued when the storage closes is committed, not dropped', async () => {
    const { s, a } = await twoEpisodes();
    const file = join(dir, `live-${n}.sqlite`);
    const pending = a.map((e) => s.live.append('ep-a', e));
    await s.close();
    storage = null;
    expect((await Promise.all(pending)).length).toBe(a.length);
    const reopened = SqliteStorage.open({ file });
    storage = reopened;
    expect((await reopened.live.eventsAfter('ep-a', -1)).map((e) => e.seq)).toEqual(a.map((e) => e.seq));
  });

  it('with background checkpoints, the WAL is copied into the database by the worker thread, not by commits', async () => {
    const file = join(dir, `checkpointed-${++n}.sqlite`);
    const s = SqliteStorage.open({ file, backgroundCheckpoint: true });
    storage = s;
    const shape = {
      problemId: 'p1',
      personaId: 'x',
      mode: 'infer_persona',
      userType: 'passive_nostop',
      userSeat: 'person',
      assistantModel: 'm',
      judgeModel: 'j',
      simulatorModel: 's',
      finalAnswer: 'ok',
    } as const;
    const before = statSync(file).size;
    for (let i = 0; i < 40; i++) {
      const { summary, events } = episodeLog({ ...shape, id: `ep-${i}` });
      await s.live.begin({
        summary: { ...summary, status: 'running' },
        studyId: 'study',
        participantId: 'someone',
        assignmentId: null,
        spec: {},
      });
      await Promise.all(
        events.map((e) =>
          s.live.append(summary.id, {
            ...e,
            ...(e.type === 'message' ? { content: e.content.padEnd(4000, '.') } : {}),
          } as EpisodeEvent),
        ),
      );
    }
    // Automatic checkpoints are off on the committing connection: only the worker moves pages into the file.
    for (let i = 0; i < 40 && statSync(file).size <= before; i++) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    await s.close();
    storage = null;
    const reopened = SqliteStorage.open({ file });
    storage = reopened;
    expect((await reopened.live.eventsAfter('ep-39', -1)).length).toBeGreaterThan(3);
  });
});
