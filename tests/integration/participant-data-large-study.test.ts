import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { participantData } from '../../server/services/research/participant-data.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
let storage: SqliteStorage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe('a participant’s data in a study of more than 1,000 live episodes', () => {
  it('holds their episode even when 1,000 newer ones of other people come after it', async () => {
    const s = await SqliteStorage.open({ file: join(dir, 'large-study.sqlite') });
    storage = s;
    const study = await s.createStudy({ name: 'Large' });
    const actor = async (pid: string): Promise<string> =>
      (await s.people.findOrCreateParticipant({ studyId: study.id, role: 'actor', prolific: { prolificPid: pid } }))
        .participant.id;
    const at = (i: number): string => new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString();
    const begin = (id: string, participantId: string, i: number) =>
      s.live.begin({
        summary: runningEpisodeSummary(id, { userSeat: 'person', startedAt: at(i) }),
        studyId: study.id,
        participantId,
        assignmentId: null,
        spec: {},
      });
    await begin('first', await actor('pid-first'), 0);
    const others = await actor('pid-others');
    for (let i = 1; i <= 1000; i++) await begin(`later-${i}`, others, i);

    const data = await participantData(s, study.id, 'pid-first');
    expect(data?.episodes.map((e) => e.summary.id)).toEqual(['first']);
    expect((await participantData(s, study.id, 'pid-others'))?.episodes).toHaveLength(1000);
  });
});
