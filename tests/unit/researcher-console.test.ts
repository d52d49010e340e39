import { describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { consoleRoute, studyPath } from '../../client/src/features/research/console-route.ts';
import { inviteUrl } from '../../client/src/features/research/invites/invite-url.ts';
import { transcriptRows } from '../../client/src/features/research/live/transcript-rows.ts';
import { runNumbers } from '../../client/src/features/research/runs/run-math.ts';
import {
  checkDraft,
  DEFAULT_SETTINGS,
  fieldOf,
  toDraft,
} from '../../client/src/features/research/settings/settings-draft.ts';
import { mergeEvents } from '../../client/src/query/episode-log.ts';

const at = '2026-01-01T00:00:00.000Z';

describe('console addresses', () => {
  it('reads the studies list, a study on a tab, and refuses unknown tabs', () => {
    expect(consoleRoute('/')).toEqual({ page: 'studies' });
    expect(consoleRoute('/studies/s%201')).toEqual({ page: 'study', studyId: 's 1', tab: 'settings' });
    expect(consoleRoute('/studies/abc/runs/')).toEqual({ page: 'study', studyId: 'abc', tab: 'runs' });
    expect(consoleRoute('/studies/abc/nope')).toEqual({ page: 'unknown' });
    expect(studyPath('s 1', 'live')).toBe('/studies/s%201/live');
  });
});

describe('invite links', () => {
  it('carries the Prolific placeholders literally, braces and all', () => {
    expect(inviteUrl('/join/abc', 'https://x.example')).toBe(
      'https://x.example/join/abc?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}',
    );
  });
});

describe('settings draft', () => {
  it('round-trips the defaults and names bad fields by the schema and by server paths', () => {
    const draft = toDraft(DEFAULT_SETTINGS);
    expect(checkDraft(draft)).toEqual({ ok: true, body: DEFAULT_SETTINGS });
    const bad = checkDraft({ ...draft, playsPerActor: '', goldRate: '2', idleWarningSeconds: '400' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual(['goldRate', 'idleWarningSeconds', 'playsPerActor']);
    expect(bad.errors.playsPerActor).toBe('Enter a number');
    expect(fieldOf('$.models[1]')).toBe('models');
    expect(fieldOf('$.quotas.ratingsPerRater')).toBe('ratingsPerRater');
    expect(fieldOf(['instructions', 'actor'])).toBe('actorInstructions');
    expect(fieldOf('$.nothing')).toBeNull();
  });

  it('carries the prompt pack: built-in by default, a folder name as chosen, a path refused on the field', () => {
    const draft = toDraft(DEFAULT_SETTINGS);
    expect(draft.promptPack).toBe('');
    const chosen = checkDraft({ ...draft, promptPack: 'reference-ec800ba' });
    expect(chosen.ok && chosen.body.promptPack).toBe('reference-ec800ba');
    const path = checkDraft({ ...draft, promptPack: '../secrets' });
    expect(path.ok).toBe(false);
    if (path.ok) return;
    expect(path.errors.promptPack).toMatch(/^Must be a pack folder name .*no "\/" or "\.\."/);
    expect(fieldOf('$.promptPack')).toBe('promptPack');
  });
});

describe('run progress', () => {
  const run = (
    progress: Partial<NonNullable<RunInfo['progress']>>,
    status: RunInfo['status'] = 'running',
  ): RunInfo => ({
    id: 'r',
    studyId: 's',
    status,
    createdAt: at,
    updatedAt: null,
    options: {
      model: 'm',
      judge: 'j',
      simulator: 'j',
      modes: ['no_prompt'],
      userTypes: ['passive_nostop'],
      maxTurns: 5,
      fixedQuestions: null,
      maxProblems: null,
      seed: 42,
    },
    progress: {
      total: 100,
      done: 0,
      failed: 0,
      skipped: 0,
      running: 0,
      elapsedMs: 0,
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      ...progress,
    },
  });

  it('counts skipped episodes as finished but estimates time left from this run’s own pace', () => {
    const n = runNumbers(run({ done: 10, failed: 10, skipped: 40, elapsedMs: 20_000 }));
    expect(n.finished).toBe(60);
    expect(n.percent).toBe(60);
    expect(n.etaMs).toBe(40_000);
    expect(runNumbers(run({ skipped: 40, elapsedMs: 5000 })).etaMs).toBeNull();
    expect(runNumbers(run({ done: 100, elapsedMs: 5000 }, 'completed')).etaMs).toBeNull();
  });
});

describe('live transcript', () => {
  const events: EpisodeEvent[] = [
    { seq: 1, at, type: 'message', role: 'user', kind: 'opening', turn: 0, content: 'help' },
    { seq: 2, at, type: 'message', role: 'assistant', kind: 'question', turn: 0, content: 'how much detail?' },
    {
      seq: 3,
      at,
      type: 'twin_reply',
      turn: 0,
      response: 'lots',
      asked: ['Detail'],
      revealed: [{ preference: 'Detail', value: 'high' }],
    },
    { seq: 4, at, type: 'message', role: 'user', kind: 'reply', turn: 0, content: 'little' },
    { seq: 5, at, type: 'question_tagged', turn: 0, tag: 'relevant' },
    { seq: 6, at, type: 'disclosure_labeled', turn: 0, asked: ['Detail'], revealed: [] },
  ];

  it('pairs the actor’s reply with the twin’s reply to the same question, even when the twin comes first', () => {
    const rows = transcriptRows(events);
    expect(rows.map((r) => r.kind)).toEqual(['message', 'message', 'exchange']);
    const exchange = rows[2];
    expect(
      exchange?.kind === 'exchange' && [exchange.reply?.content, exchange.twin?.response, exchange.disclosure?.seq],
    ).toEqual(['little', 'lots', 6]);
    const question = rows[1];
    expect(question?.kind === 'message' && question.tags).toEqual(['relevant']);
  });

  it('applies events by seq, each once, whatever order and overlap they arrive in', () => {
    const merged = mergeEvents(events.slice(2), [
      events[3] as EpisodeEvent,
      events[0] as EpisodeEvent,
      events[1] as EpisodeEvent,
    ]);
    expect(merged.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
