import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../server/models/model-provider.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { loadPromptPack } from '../../server/engine/prompt-pack.ts';
import { runTwinEpisode } from '../../server/services/live/twin-episode.ts';
import { studyPlayQueue } from '../../server/services/studies/play-queue.ts';
import { studyPromptPacks } from '../../server/services/studies/study-prompt-packs.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { joinAs, openSocket, request, startLiveApp, type LiveApp } from '../support/live-app.ts';
import { playEpisode } from '../support/live-actor.ts';
import { openStudyAppsPerTest } from '../support/open-study-app.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-live-pack-');
const PROMPTS_DIR = join(dir, 'prompts');

/** A folder in the prompts folder with a manifest and its files. */
function pack(folder: string, manifest: unknown, files: Record<string, string>): string {
  const path = join(PROMPTS_DIR, folder);
  mkdirSync(path, { recursive: true });
  writeFile(path, 'prompts.json', JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) writeFile(path, name, text);
  return path;
}

/** The roles every seat of a live episode is asked with: the assistant, the twin's user, a judge, the labeler. */
const GOOD = pack(
  'live-pack',
  {
    name: 'live-pack-v1',
    prompts: {
      'discovery-system': { file: 'discovery.txt', placeholders: [] },
      'user-passive-nostop': {
        file: 'user.txt',
        placeholders: ['persona_profile', 'chat_history', 'terminal_signal'],
      },
      'rubric-judge-user': { file: 'judge-user.txt', placeholders: ['criterion_name', 'response'] },
      'disclosure-labeler': {
        file: 'labeler.txt',
        placeholders: ['preference_list', 'assistant_message', 'user_message'],
      },
    },
  },
  {
    'discovery.txt': 'PACK DISCOVERY: ask the user one question at a time.',
    'user.txt': 'PACK USER.\n{persona_profile}\n{chat_history}\n[{terminal_signal}]',
    'judge-user.txt': 'PACK CRITERION {criterion_name}\n{response}\nAnswer {{"score": 1-5}}',
    'labeler.txt': 'PACK LABELER\n{preference_list}\n{assistant_message}\n{user_message}',
  },
);
pack(
  'broken-pack',
  {
    name: 'broken',
    prompts: {
      'rubric-judge-user': { file: 'judge-user.txt', placeholders: ['criterion_name', 'response'] },
      'final-prompt': { file: 'missing.txt', placeholders: [] },
    },
  },
  { 'judge-user.txt': 'BROKEN {criterion_name} {response} {criterion[name]}' },
);

/** The scripted model under its own name, keeping every request, so the test reads what each seat was sent. */
class RecordingScripted implements ModelProvider {
  readonly isTestModel = true;
  readonly config = SCRIPTED_MODEL;
  readonly requests: ModelRequest[] = [];
  private readonly inner = new ScriptedProvider(SCRIPTED_MODEL);
  complete(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    return this.inner.complete(request);
  }
  sent(purpose: ModelRequest['purpose']): string[] {
    return this.requests.filter((r) => r.purpose === purpose).map((r) => r.messages.map((m) => m.content).join('\n'));
  }
}

const { open } = openStudyAppsPerTest(dir, 'unused');

async function appWithPacks(
  model: RecordingScripted,
  dbFile = join(dir, `live-${open.length}-${Date.now()}.sqlite`),
): Promise<{ live: LiveApp; cookie: string }> {
  const live = await startLiveApp(dbFile, {
    queue: (storage) => studyPlayQueue({ storage, isDeclaredModel: () => true, now: () => new Date() }),
    model,
    deps: { config: { promptsDir: PROMPTS_DIR } },
  });
  open.push(live);
  const { cookie } = await signInResearcher(live);
  return { live, cookie };
}

async function http(
  live: LiveApp,
  cookie: string | null,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  payload?: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await live.app.inject({
    method,
    url,
    ...(cookie ? { headers: { cookie } } : {}),
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
}

const SETTINGS = { models: ['scripted'], judgeModel: 'scripted', simulatorModel: 'scripted', simulatedTwin: false };

describe('a prompt pack as a live study setting', () => {
  it('lists the packs of the prompts folder for researchers only, with their names, hashes and problems', async () => {
    const { live, cookie } = await appWithPacks(new RecordingScripted());
    const listed = await http(live, cookie, 'GET', '/api/prompt-packs');
    expect(listed.status).toBe(200);
    const good = loadPromptPack(GOOD).pack;
    expect(listed.body['packs']).toEqual([
      {
        folder: 'broken-pack',
        name: null,
        sha256: null,
        roles: [],
        problems: expect.arrayContaining([
          'broken-pack/missing.txt: cannot be read (role final-prompt)',
          expect.stringMatching(/^broken-pack\/judge-user\.txt: .*\{criterion\[name\]\}/),
        ]),
      },
      {
        folder: 'live-pack',
        name: 'live-pack-v1',
        sha256: good?.sha256,
        roles: ['disclosure-labeler', 'discovery-system', 'rubric-judge-user', 'user-passive-nostop'],
        problems: [],
      },
    ]);
    expect((await http(live, null, 'GET', '/api/prompt-packs')).status).toBe(401);
    const actor = await joinAs(live.app, live.storage, live.studyId, 'actor');
    expect((await http(live, actor, 'GET', '/api/prompt-packs')).status).toBe(403);
  });

  it('refuses bad names, missing folders and broken packs on save, saying what and where, and stores nothing', async () => {
    const { live, cookie } = await appWithPacks(new RecordingScripted());
    const url = `/api/studies/${live.studyId}/settings`;
    const cases: [string, RegExp][] = [
      ['../prompts', /no "\/" or "\.\."/],
      ['a/b', /no "\/" or "\.\."/],
      ['..', /no "\/" or "\.\."/],
      ['nope', /"nope" is not a folder in the server's prompts folder/],
      ['broken-pack', /^broken-pack\/missing\.txt: cannot be read \(role final-prompt\)$/],
    ];
    for (const [promptPack, message] of cases) {
      const refused = await http(live, cookie, 'PUT', url, { ...SETTINGS, promptPack });
      expect(refused.status, promptPack).toBe(400);
      expect(refused.body['error']).toBe('invalid_payload');
      const issues = refused.body['issues'] as { path: string; message: string }[];
      expect(
        issues.every((i) => i.path === '$.promptPack'),
        JSON.stringify(issues),
      ).toBe(true);
      expect(
        issues.some((i) => message.test(i.message)),
        JSON.stringify(issues),
      ).toBe(true);
      // The server's own folders never reach the browser.
      expect(JSON.stringify(refused.body)).not.toContain(dir);
      expect((await http(live, cookie, 'GET', url)).status, 'nothing stored').toBe(404);
    }
    // Saved before without the field (an older server): read back with the built-in prompts.
    const saved = await http(live, cookie, 'PUT', url, SETTINGS);
    expect(saved.status).toBe(200);
    expect((saved.body['settings'] as Record<string, unknown>)['promptPack']).toBe('');
  });

  it('plays a live episode with the pack: every seat is asked with its text, and the episode records its name and hash', async () => {
    const model = new RecordingScripted();
    const { live, cookie } = await appWithPacks(model);
    const saved = await http(live, cookie, 'PUT', `/api/studies/${live.studyId}/settings`, {
      ...SETTINGS,
      simulatedTwin: true,
      promptPack: 'live-pack',
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((saved.body['settings'] as Record<string, unknown>)['promptPack']).toBe('live-pack');
    expect((await http(live, cookie, 'POST', `/api/studies/${live.studyId}/open`)).status).toBe(200);

    const socket = await openSocket(live.url, await joinAs(live.app, live.storage, live.studyId, 'actor'));
    open.push({ close: () => void socket.close() });
    const played = await playEpisode(socket, {
      rate: (criteria) => ({ scores: Object.fromEntries(criteria.map((c) => [c, 4])), correct: 1, secondsSpent: 30 }),
    });
    expect(played.answered).toBeGreaterThan(0);

    const good = loadPromptPack(GOOD);
    const info = await live.storage.live.get(played.episodeId);
    expect(info?.spec).toMatchObject({ promptPack: 'live-pack', promptPackSha256: good.pack?.sha256 });
    const events = await live.storage.live.eventsAfter(played.episodeId, -1);
    const started = events.find((e) => e.type === 'episode_started');
    if (started?.type !== 'episode_started') throw new Error('no episode_started event');
    expect(started.provenance.promptPack).toEqual({ name: 'live-pack-v1', sha256: good.pack?.sha256 });
    const hashes = started.provenance.promptHashes;
    expect(hashes['live-pack-v1/discovery.txt']).toBe(good.templates.discoverySystem.sha256);
    expect(hashes['live-pack-v1/judge-user.txt']).toBe(good.templates.rubricJudgeUser.sha256);
    // Roles the pack leaves out keep ours.
    expect(Object.keys(hashes)).toContain(good.templates.finalPrompt.file);
    expect(good.templates.finalPrompt.file).not.toContain('live-pack');

    // The fully simulated twin (a background job, run here directly) is asked with the episode's pinned pack too.
    const outcome = await runTwinEpisode(
      {
        storage: live.storage,
        model: () => model,
        log: live.app.log,
        prompts: (folder) => studyPromptPacks(PROMPTS_DIR).load(folder),
      },
      { liveEpisodeId: played.episodeId },
      new AbortController().signal,
    );
    if (!('twinId' in outcome)) throw new Error(`the twin did not run: ${outcome.reason}`);
    const twin = await live.storage.getEpisode(outcome.twinId);
    expect(twin?.summary.status).toBe('completed');
    const twinStarted = twin?.events.find((e) => e.type === 'episode_started');
    if (twinStarted?.type !== 'episode_started') throw new Error('the twin has no episode_started event');
    expect(twinStarted.provenance.promptPack).toEqual({ name: 'live-pack-v1', sha256: good.pack?.sha256 });
    expect(twinStarted.provenance.promptHashes).toEqual(hashes);

    // What each seat was really sent: the model under test, the twin's simulated user, the judge and the labeler.
    expect(model.sent('assistant')[0]).toContain('PACK DISCOVERY: ask the user one question at a time.');
    expect(model.sent('simulated_user').length).toBeGreaterThan(0);
    for (const text of model.sent('simulated_user')) expect(text).toMatch(/^PACK USER\./);
    expect(model.sent('rubric_judge').length).toBeGreaterThan(0);
    for (const text of model.sent('rubric_judge')) expect(text).toContain('PACK CRITERION ');
    expect(model.sent('disclosure_labeler').length).toBeGreaterThan(0);
    for (const text of model.sent('disclosure_labeler')) expect(text).toContain('PACK LABELER');
  });

  it('a running episode whose pack was edited is not resumed with other prompts after a restart: it ends as failed', async () => {
    const folder = pack(
      'restart-pack',
      { name: 'restart-pack-v1', prompts: { 'discovery-system': { file: 'd.txt', placeholders: [] } } },
      {
        'd.txt': 'PACK DISCOVERY before the restart',
      },
    );
    const dbFile = join(dir, 'restart.sqlite');
    const before = await appWithPacks(new RecordingScripted(), dbFile);
    const saved = await http(before.live, before.cookie, 'PUT', `/api/studies/${before.live.studyId}/settings`, {
      ...SETTINGS,
      promptPack: 'restart-pack',
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await http(before.live, before.cookie, 'POST', `/api/studies/${before.live.studyId}/open`)).status).toBe(
      200,
    );
    const socket = await openSocket(
      before.live.url,
      await joinAs(before.live.app, before.live.storage, before.live.studyId, 'actor'),
    );
    const snapshot = await request(socket, 'play:start', {});
    socket.close();
    // The server stops with the episode running; meanwhile someone edits the pack in place.
    open.splice(open.indexOf(before.live), 1);
    await before.live.close();
    writeFile(folder, 'd.txt', 'PACK DISCOVERY, edited');

    const after = await appWithPacks(new RecordingScripted(), dbFile);
    const info = await after.live.storage.live.get(snapshot.episodeId);
    expect(info?.summary.status).toBe('failed');
    const events = await after.live.storage.live.eventsAfter(snapshot.episodeId, -1);
    expect(events.at(-1)).toMatchObject({
      type: 'episode_failed',
      code: 'prompt_pack_unavailable',
      reason: expect.stringMatching(
        /^prompt pack "restart-pack" changed since the episode started \(sha256 [0-9a-f]{64}, now [0-9a-f]{64}\)$/,
      ),
    });
  });
});
