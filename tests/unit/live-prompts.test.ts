import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveStudySettingsSchema } from '../../shared/schemas/live-study.ts';
import { OUR_PROMPTS } from '../../server/engine/prompt-library.ts';
import { pinnedPrompts, startPrompts } from '../../server/services/live/live-prompts.ts';
import type { Logger } from '../../server/services/logger.ts';
import { studyPromptPacks } from '../../server/services/studies/study-prompt-packs.ts';
import { tempDir } from '../support/temp-files.ts';

const root = tempDir('prefdisco-live-prompts-');
const folder = join(root, 'judges');
mkdirSync(folder);
const writeJudge = (text: string): void => {
  writeFileSync(
    join(folder, 'prompts.json'),
    JSON.stringify({ name: 'judges-v1', prompts: { 'rubric-judge-system': { file: 'system.txt', placeholders: [] } } }),
  );
  writeFileSync(join(folder, 'system.txt'), text);
};
writeJudge('PACK JUDGE SYSTEM');
const packs = studyPromptPacks(root);

/** Collects error lines, so a test can read what the server's log says. */
function recordingLog(lines: unknown[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj: unknown) => void lines.push(obj),
    child: () => log,
  };
  return log;
}

describe('the prompts of a live episode', () => {
  it('stored settings without a pack (older ones) read as the built-in prompts', () => {
    expect(LiveStudySettingsSchema.parse({}).promptPack).toBe('');
    expect(startPrompts({}, packs.load, recordingLog([]))).toEqual({ prompts: OUR_PROMPTS, pin: null });
    expect(pinnedPrompts({ mode: 'infer_persona', maxTurns: 5 }, packs.load)).toBe(OUR_PROMPTS);
  });

  it('a new episode pins the pack by folder and hash; a resume gets the same prompts back', () => {
    const { prompts, pin } = startPrompts({ promptPack: 'judges' }, packs.load, recordingLog([]));
    expect(prompts.pack?.name).toBe('judges-v1');
    expect(prompts.templates.rubricJudgeSystem.text).toBe('PACK JUDGE SYSTEM');
    expect(pin).toEqual({ promptPack: 'judges', promptPackSha256: prompts.pack?.sha256 });
    const again = pinnedPrompts({ ...pin }, packs.load);
    expect('problem' in again ? again.problem : again.pack).toEqual(prompts.pack);
  });

  it('a pack edited or removed since the episode started is named as the reason it cannot go on', () => {
    const { pin } = startPrompts({ promptPack: 'judges' }, packs.load, recordingLog([]));
    writeJudge('PACK JUDGE SYSTEM, edited');
    try {
      expect(pinnedPrompts({ ...pin }, packs.load)).toEqual({
        problem: expect.stringMatching(
          /^prompt pack "judges" changed since the episode started \(sha256 [0-9a-f]{64}, now [0-9a-f]{64}\)$/,
        ),
      });
    } finally {
      writeJudge('PACK JUDGE SYSTEM');
    }
    expect(pinnedPrompts({ promptPack: 'gone', promptPackSha256: 'x' }, packs.load)).toEqual({
      problem: expect.stringContaining(`prompt pack "gone" cannot be loaded: prompt pack "gone" is not a folder`),
    });
    expect(pinnedPrompts({ promptPack: 'judges', promptPackSha256: 'x' }, undefined)).toEqual({
      problem: 'prompt pack "judges" cannot be loaded: this server offers no prompt packs',
    });
  });

  it('a start whose pack cannot be loaded is refused as unavailable, and the log says why', () => {
    const lines: unknown[] = [];
    expect(() => startPrompts({ promptPack: 'gone' }, packs.load, recordingLog(lines))).toThrow(
      expect.objectContaining({ code: 'unavailable' }),
    );
    expect(lines).toEqual([
      { promptPack: 'gone', reason: expect.stringContaining('"gone" is not a folder in the server\'s prompts folder') },
    ]);
  });
});
