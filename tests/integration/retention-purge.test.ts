import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveStudySettingsBodySchema, LiveStudySettingsSchema } from '../../shared/schemas/live-study.ts';
import type { Logger } from '../../server/services/logger.ts';
import { purgeExpired } from '../../server/services/participants/retention-purge.ts';
import { createStudyWork } from '../../server/services/studies/study-work-service.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { runCli } from '../support/run-cli.ts';
import { studyWithRecords } from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';

/** The retention purge on a real file: studies closed with and without retention, one still open. */
const dir = tempDir();
const file = join(dir, 'retention.sqlite');
const DAY = 24 * 60 * 60 * 1000;
let storage: SqliteStorage;
const ids: Record<'expiring' | 'kept' | 'open', string> = { expiring: '', kept: '', open: '' };
const people: Record<string, string[]> = {};

async function study(
  name: string,
  retentionDays: number,
  actions: ('open' | 'close')[],
  participants: number,
): Promise<string> {
  const { studyId } = await studyWithRecords(storage, name, 1);
  const work = createStudyWork({ storage, isDeclaredModel: () => true, rng: () => 0.5 });
  await work.saveSettings(studyId, LiveStudySettingsBodySchema.parse({ models: ['model-a'], retentionDays }));
  for (const action of actions) await work.transition(studyId, action);
  people[studyId] = [];
  for (let i = 0; i < participants; i++) {
    const { participant } = await storage.people.findOrCreateParticipant({
      studyId,
      role: 'rater',
      prolific: { prolificPid: `${name}-pid-${i}` },
    });
    people[studyId]?.push(participant.id);
  }
  return studyId;
}

beforeAll(async () => {
  storage = SqliteStorage.open({ file });
  ids.expiring = await study('Expiring', 7, ['open', 'close'], 3);
  ids.kept = await study('Kept', 0, ['open', 'close'], 2);
  ids.open = await study('Still open', 1, ['open'], 2);
});
afterAll(async () => {
  await storage.close();
});

const remaining = async (studyId: string): Promise<number> =>
  (await storage.deletions.listParticipantIds(studyId)).length;

describe('the retention purge', () => {
  it('old settings without retentionDays keep data (0)', () => {
    const parsed = LiveStudySettingsSchema.safeParse({ ...LiveStudySettingsBodySchema.parse({}), status: 'closed' });
    expect(parsed.success && parsed.data.retentionDays).toBe(0);
    const { retentionDays: _dropped, ...old } = LiveStudySettingsBodySchema.parse({});
    expect(LiveStudySettingsBodySchema.parse(old).retentionDays).toBe(0);
  });

  it('does nothing before a closed study’s retention runs out', async () => {
    expect(await purgeExpired(storage, { now: new Date(Date.now() + 6 * DAY) })).toEqual([]);
    expect(await remaining(ids.expiring)).toBe(3);
  });

  it('a dry run lists the due study and deletes nothing', async () => {
    const due = await purgeExpired(storage, { now: new Date(Date.now() + 8 * DAY), dryRun: true });
    expect(due).toEqual([
      expect.objectContaining({ studyId: ids.expiring, studyName: 'Expiring', retentionDays: 7, participants: 3 }),
    ]);
    expect(await remaining(ids.expiring)).toBe(3);
    expect(await storage.deletions.listDeletions(ids.expiring)).toEqual([]);
  });

  it('prefdisco purge --dry-run prints what would go', async () => {
    // Closed nine days ago, as if time had passed (the CLI purges at the real time).
    const db = new Database(file);
    db.prepare('UPDATE live_study_settings SET updated_at = ? WHERE study_id = ?').run(
      new Date(Date.now() - 9 * DAY).toISOString(),
      ids.expiring,
    );
    db.close();
    const result = await runCli(['purge', '--dry-run', '--db', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^would delete 3 participant\(s\) of study "Expiring" \(closed .*, retention 7 days/);
    expect(await remaining(ids.expiring)).toBe(3);
  });

  it('deletes every participant of the due study, recorded as retention, and leaves the others', async () => {
    const lines: { obj: object | string; msg?: string }[] = [];
    const quiet = (): void => {};
    const log: Logger = {
      info: (obj: object | string, msg?: string) => void lines.push({ obj, ...(msg === undefined ? {} : { msg }) }),
      debug: quiet,
      warn: quiet,
      error: quiet,
      child: () => log,
    };
    // At the real time: the study closed nine days ago since the test above.
    const due = await purgeExpired(storage, { log });
    expect(due.map((d) => d.studyId)).toEqual([ids.expiring]);
    expect(await remaining(ids.expiring)).toBe(0);
    for (const id of people[ids.expiring] ?? []) expect(await storage.people.getParticipant(id)).toBeNull();
    expect((await storage.deletions.listDeletions(ids.expiring)).map((d) => d.deletedBy)).toEqual([
      'retention',
      'retention',
      'retention',
    ]);
    expect(lines).toEqual([
      {
        obj: { studyId: ids.expiring, retentionDays: 7, participants: 3 },
        msg: 'retention purge deleted participants',
      },
    ]);
    expect(await remaining(ids.kept)).toBe(2);
    expect(await remaining(ids.open)).toBe(2);
    // A second run finds nothing left to do.
    expect(await purgeExpired(storage)).toEqual([]);
  });
});
