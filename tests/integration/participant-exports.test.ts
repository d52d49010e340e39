import { createHash } from 'node:crypto';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlindRatingItem } from '../../shared/schemas/live-study.ts';
import { EXPORT_FORMATS, EXPORT_TABLES } from '../../shared/schemas/research.ts';
import { parseCsv } from '../../server/services/csv/read-csv.ts';
import type { ParticipantData } from '../../server/services/research/participant-data.ts';
import { studyParticipants } from '../../server/services/research/participant-rows.ts';
import { pseudonym, pseudonymKeyName, type PseudonymKind } from '../../server/services/research/pseudonyms.ts';
import { request } from '../support/live-app.ts';
import { runCli } from '../support/run-cli.ts';
import { playEpisode } from '../support/live-actor.ts';
import { joinFromProlific, type ProlificPerson } from '../support/prolific-join.ts';
import { startScriptedStudyApp, type ScriptedStudyApp } from '../support/scripted-study-app.ts';
import { tempDir } from '../support/temp-files.ts';
import { grantStudyRole } from '../support/study-roles.ts';

/**
 * The exports researchers pay and analyse from, over real HTTP after a real study: actors join through invitation
 * links with Prolific ids and play live against the scripted model over Socket.IO (tagging a question and rating the
 * answer), the researcher sends their answers to rating, and raters rate them over Socket.IO.
 */

const dir = tempDir('prefdisco-participant-exports-');
const dbFile = joinPath(dir, 'exports.sqlite');
let t: ScriptedStudyApp;
let studyId: string;

const CODES = { completed: 'C-DONE', failedAttention: 'C-ATTN', timedOut: 'C-IDLE' };

const join = (role: 'actor' | 'rater', n: number): Promise<ProlificPerson> => joinFromProlific(t, studyId, role, n);

async function get(path: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: path, headers: { cookie: t.researcher } });
  expect(res.statusCode, path).toBe(200);
  return res.body;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** CSV rows by header name, read with the project's RFC 4180 reader. */
function csvRows(text: string): Record<string, string>[] {
  const { records, problems } = parseCsv(text);
  expect(problems).toEqual([]);
  const [header, ...body] = records.map((r) => r.fields);
  return body.map((cells) => Object.fromEntries((header ?? []).map((h, i) => [h, cells[i] ?? ''])));
}

const exportJsonl = async (table: string) => jsonLines(await get(`/api/studies/${studyId}/export/${table}.jsonl`));
const exportCsv = async (table: string) => csvRows(await get(`/api/studies/${studyId}/export/${table}.csv`));

interface Played {
  person: ProlificPerson;
  episodeId: string;
  question: string;
  criteria: string[];
}

/** Plays one live episode to its end as a person would: every question answered, the first one tagged, then rated. */
async function play(person: ProlificPerson, n: number): Promise<Played> {
  const played = await playEpisode(await t.socket(person.cookie), {
    tagFirst: true,
    rate: (criteria) => ({
      scores: Object.fromEntries(criteria.map((c, i) => [c, ((i + n) % 5) + 1])),
      correct: 1,
      justification: `=Actor ${n}: clear, "but" long`,
      secondsSpent: 40 + n,
    }),
  });
  expect(played.answered).toBeGreaterThan(0);
  expect(played.completionCode).toBe(CODES.completed);
  const firstQuestion = (await t.storage.getEpisode(played.episodeId))?.events.find(
    (e) => e.type === 'message' && e.kind === 'question' && e.turn === 0,
  );
  return {
    person,
    episodeId: played.episodeId,
    question: firstQuestion?.type === 'message' ? firstQuestion.content : '',
    criteria: played.criteria,
  };
}

/** Rates every item the queue hands out until the quota; the scores depend on the rater and item order. */
async function rateAll(
  person: ProlificPerson,
  r: number,
  items: number,
): Promise<{ itemId: string; scores: Record<string, number> }[]> {
  const socket = await t.socket(person.cookie);
  const done: { itemId: string; scores: Record<string, number> }[] = [];
  for (let i = 0; i < items; i++) {
    const item: BlindRatingItem = await request(socket, 'rating:next', {});
    const scores = Object.fromEntries(item.rubric.map((c, k) => [c.preference, ((r + i + k) % 5) + 1]));
    await request(socket, 'rating:submit', { itemId: item.itemId, scores, correct: 1, secondsSpent: 30 + i });
    done.push({ itemId: item.itemId, scores });
  }
  return done;
}

let actors: Played[] = [];
const raters: { person: ProlificPerson; ratings: { itemId: string; scores: Record<string, number> }[] }[] = [];
let idleRater: ProlificPerson;
/** The study's pseudonym key, read from storage after the first export made it. */
let key: string;
/** What an analysis export writes for this id. */
const named = (kind: PseudonymKind, id: string): string => pseudonym(key, kind, id);

beforeAll(async () => {
  t = await startScriptedStudyApp(dbFile);
  studyId = t.sampleStudyId;
  const problemIds = (await t.storage.research.listStudyRecords(studyId)).slice(0, 2).map((r) => r.problemId);
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/studies/${studyId}/settings`,
    headers: { cookie: t.researcher },
    payload: {
      records: { kind: 'list', problemIds },
      models: ['scripted'],
      simulatedTwin: false,
      raterOverlap: 2,
      quotas: { playsPerActor: 1, ratingsPerRater: 2 },
      completionCodes: CODES,
    },
  });
  expect(put.statusCode).toBe(200);
  expect(
    (await t.app.inject({ method: 'POST', url: `/api/studies/${studyId}/open`, headers: { cookie: t.researcher } }))
      .statusCode,
  ).toBe(200);

  actors = [await play(await join('actor', 1), 1), await play(await join('actor', 2), 2)];
  const added = await t.app.inject({
    method: 'POST',
    url: `/api/studies/${studyId}/rating-candidates`,
    headers: { cookie: t.researcher },
    payload: { episodeIds: actors.map((a) => a.episodeId) },
  });
  // Finished live answers are queued for rating on their own; asking again changes nothing.
  expect(added.json()).toEqual({ added: 0, unchanged: 2 });
  for (const r of [3, 4]) {
    const person = await join('rater', r);
    raters.push({ person, ratings: await rateAll(person, r, 2) });
  }
  idleRater = await join('rater', 5);
  await get(`/api/studies/${studyId}/export/episodes.jsonl`);
  key = await t.storage.people.getOrCreateAppSecret(pseudonymKeyName(studyId), 'a key the first export did not make');
}, 60_000);

afterAll(async () => {
  await t.close();
});

describe('participants export', () => {
  it('has one row per participant with every Prolific id, its outcome and code, in JSONL and CSV alike', async () => {
    const rows = await exportJsonl('participants');
    expect(rows).toHaveLength(5);
    const byPid = new Map(rows.map((r) => [r.prolific_pid, r]));
    for (const a of actors) {
      expect(byPid.get(a.person.pid)).toMatchObject({
        role: 'actor',
        prolific_study_id: a.person.prolificStudyId,
        prolific_session_id: a.person.sessionId,
        outcome: 'completed',
        completion_code: CODES.completed,
        plays_started: 1,
        plays_completed: 1,
        plays_self_rated: 1,
        plays_timed_out: 0,
        ratings_done: 0,
      });
    }
    for (const r of raters) {
      expect(byPid.get(r.person.pid)).toMatchObject({
        role: 'rater',
        prolific_session_id: r.person.sessionId,
        outcome: 'completed',
        completion_code: CODES.completed,
        plays_started: 0,
        ratings_done: 2,
        attention_checked: 0,
        attention_failed: 0,
      });
    }
    expect(byPid.get(idleRater.pid)).toMatchObject({
      outcome: 'not_started',
      outcome_source: null,
      completion_code: null,
      finished_at: null,
      active_minutes: 0,
      ratings_done: 0,
    });
    for (const row of rows) {
      expect(typeof row.active_minutes).toBe('number');
      expect(row.joined_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      if (row.outcome === 'completed') expect(String(row.finished_at) >= String(row.joined_at)).toBe(true);
    }
    // A completed actor's active time covers their play: from joining to the self-rating, all within seconds here.
    expect(rows.filter((r) => r.role === 'actor').every((r) => (r.active_minutes as number) < 5)).toBe(true);

    // The payment list joins the analysis exports on the pseudonym, never on the internal id.
    for (const person of [...actors.map((a) => a.person), ...raters.map((r) => r.person), idleRater])
      expect(byPid.get(person.pid)?.participant_id).toBe(named('participant', person.participantId));

    const csv = await exportCsv('participants');
    expect(csv.map((r) => r.prolific_pid)).toEqual(rows.map((r) => r.prolific_pid));
    expect(csv.map((r) => r.outcome)).toEqual(rows.map((r) => r.outcome));
    expect(csv.map((r) => r.participant_id)).toEqual(rows.map((r) => r.participant_id));
  });

  it('names each person by the pseudonyms of their ids in the episodes and ratings exports', async () => {
    const episodes = await exportJsonl('episodes');
    for (const a of actors) {
      expect(episodes.find((e) => e.episode_id === a.episodeId)).toMatchObject({
        source: 'live',
        participant_id: named('participant', a.person.participantId),
        prolific_pid: named('prolificPid', a.person.pid),
        prolific_study_id: named('prolificStudy', a.person.prolificStudyId),
        prolific_session_id: named('prolificSession', a.person.sessionId),
      });
    }
    expect(episodes.filter((e) => e.source === 'batch').every((e) => e.prolific_pid === null)).toBe(true);
    const ratings = await exportCsv('ratings');
    expect(ratings).toHaveLength(4);
    expect(new Set(ratings.map((r) => r.prolific_pid))).toEqual(
      new Set(raters.map((r) => named('prolificPid', r.person.pid))),
    );
    for (const r of ratings) {
      const rater = raters.find((x) => named('prolificPid', x.person.pid) === r.prolific_pid);
      expect(r.prolific_session_id).toBe(named('prolificSession', rater?.person.sessionId ?? ''));
      expect(r.participant_id).toBe(named('participant', rater?.person.participantId ?? ''));
    }
  });
});

describe('the console and paging', () => {
  it('the live monitor lists each session with its actor’s Prolific id', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/studies/${studyId}/live-episodes`,
      headers: { cookie: t.researcher },
    });
    const listed = res.json<{ episodes: { id: string; prolificPid: string | null }[] }>().episodes;
    expect(Object.fromEntries(listed.map((e) => [e.id, e.prolificPid]))).toEqual(
      Object.fromEntries(actors.map((a) => [a.episodeId, a.person.pid])),
    );
  });

  it('the assignments tab lists actors and raters with their Prolific ids', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/studies/${studyId}/assignments`,
      headers: { cookie: t.researcher },
    });
    const progress = res.json<{
      actors: { prolificPid: string | null }[];
      raters: { prolificPid: string | null; rated: number }[];
    }>();
    expect(progress.actors.map((a) => a.prolificPid).sort()).toEqual(actors.map((a) => a.person.pid).sort());
    expect(progress.raters.map((r) => [r.prolificPid, r.rated]).sort()).toEqual(
      raters.map((r) => [r.person.pid, 2]).sort(),
    );
  });

  it('reads participants in pages that neither skip nor repeat anyone', async () => {
    const all = (await exportJsonl('participants')).map((r) => r.participant_id);
    for (const size of [1, 2, 3]) {
      const paged: string[] = [];
      for await (const page of studyParticipants(t.storage, studyId, size)) {
        expect(page.length).toBeLessThanOrEqual(size);
        paged.push(...page.map((p) => named('participant', p.id)));
      }
      expect(paged).toEqual(all);
    }
  });
});

describe('ratings_long', () => {
  it('has one row per item × rater × criterion, each with the score the rater gave', async () => {
    const long = await exportJsonl('ratings_long');
    const criteria = new Set(actors.flatMap((a) => a.criteria));
    const perItem = actors[0]?.criteria.length ?? 0;
    expect(perItem).toBeGreaterThan(1);
    // 2 items × 2 raters × the rubric's criteria (both sample records here have rubrics of this size).
    const expected = raters.reduce(
      (sum, r) => sum + r.ratings.reduce((s, x) => s + Object.keys(x.scores).length, 0),
      0,
    );
    expect(long).toHaveLength(expected);
    expect(expected).toBe(actors.reduce((sum, a) => sum + a.criteria.length, 0) * raters.length);
    for (const r of raters) {
      for (const { itemId, scores } of r.ratings) {
        const rows = long.filter((l) => l.item_id === itemId && l.prolific_pid === named('prolificPid', r.person.pid));
        expect(Object.fromEntries(rows.map((l) => [l.criterion, l.score]))).toEqual(scores);
      }
    }
    expect(long.every((l) => criteria.has(String(l.criterion)))).toBe(true);
    const csv = await exportCsv('ratings_long');
    expect(csv.map((r) => [r.item_id, r.criterion, r.score])).toEqual(
      long.map((l) => [l.item_id, l.criterion, String(l.score)]),
    );
  });
});

describe('self-ratings and question tags', () => {
  it('exports each actor’s own rating with their comment, and the question they tagged', async () => {
    const self = await exportJsonl('self_ratings');
    expect(self).toHaveLength(2);
    for (const [i, a] of actors.entries()) {
      const n = i + 1;
      expect(self.find((s) => s.episode_id === a.episodeId)).toMatchObject({
        prolific_pid: named('prolificPid', a.person.pid),
        prolific_session_id: named('prolificSession', a.person.sessionId),
        scores: Object.fromEntries(a.criteria.map((c, k) => [c, ((k + n) % 5) + 1])),
        correct: 1,
        justification: `=Actor ${n}: clear, "but" long`,
        seconds_spent: 40 + n,
      });
    }
    const selfCsv = await exportCsv('self_ratings');
    expect(selfCsv[0]?.justification).toBe(`'=Actor 1: clear, "but" long`);

    const tags = await exportJsonl('question_tags');
    expect(tags.map((t) => [t.episode_id, t.prolific_pid, t.turn, t.tag, t.question])).toEqual(
      actors.map((a) => [a.episodeId, named('prolificPid', a.person.pid), 0, 'relevant', a.question]),
    );
    expect(actors.every((a) => a.question.length > 0)).toBe(true);
  });

  it('refuses a table that does not exist, naming the tables that do', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/studies/${studyId}/export/bonuses.csv`,
      headers: { cookie: t.researcher },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('participants');
  });
});

describe('pseudonymized exports', () => {
  const everyone = (): ProlificPerson[] => [...actors.map((a) => a.person), ...raters.map((r) => r.person), idleRater];
  const analysisTables = EXPORT_TABLES.filter((table) => table !== 'participants');

  it('no analysis export carries a Prolific id or an internal participant id, in any format', async () => {
    const raw = everyone().flatMap((p) => [p.pid, p.sessionId, p.participantId]);
    raw.push(everyone()[0]?.prolificStudyId ?? 'missing');
    expect(new Set(raw).size).toBe(raw.length);
    for (const table of analysisTables) {
      for (const format of EXPORT_FORMATS) {
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/studies/${studyId}/export/${table}.${format}`,
          headers: { cookie: t.researcher },
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-prefdisco-ids'], table).toBe('pseudonymized');
        const bytes = res.rawPayload.toString('latin1');
        for (const id of raw) expect(bytes.includes(id), `${table}.${format} carries ${id}`).toBe(false);
      }
    }
    // The tables that name people do name them, by pseudonym: the scan above is not passing on empty files.
    const text = await get(`/api/studies/${studyId}/export/ratings.csv`);
    for (const r of raters) expect(text).toContain(named('prolificPid', r.person.pid));
  });

  it('the payment list is the one export with the real Prolific ids, and says so', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/studies/${studyId}/export/participants.csv`,
      headers: { cookie: t.researcher },
    });
    expect(res.headers['x-prefdisco-ids']).toBe('real-prolific-ids');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="Sample-benchmark-participants-payment-list-real-prolific-ids.csv"',
    );
    const rows = csvRows(res.body);
    expect(rows.map((r) => [r.prolific_pid, r.prolific_session_id, r.prolific_study_id]).sort()).toEqual(
      everyone()
        .map((p) => [p.pid, p.sessionId, p.prolificStudyId])
        .sort(),
    );
    // Its internal ids are pseudonyms too: the internal id is in no file at all.
    for (const p of everyone()) expect(res.body.includes(p.participantId)).toBe(false);
  });

  it('pseudonyms are stable within a study: two downloads agree byte for byte, and every table names a person alike', async () => {
    for (const table of analysisTables) {
      const first = await get(`/api/studies/${studyId}/export/${table}.jsonl`);
      expect(await get(`/api/studies/${studyId}/export/${table}.jsonl`), table).toBe(first);
    }
    const [a] = actors;
    if (!a) throw new Error('no actor played');
    const pseudonymOf = async (table: string) =>
      (await exportJsonl(table)).find((r) => r.episode_id === a.episodeId)?.participant_id;
    const participant = named('participant', a.person.participantId);
    expect(await pseudonymOf('episodes')).toBe(participant);
    expect(await pseudonymOf('self_ratings')).toBe(participant);
    expect(await pseudonymOf('question_tags')).toBe(participant);
    expect(participant).toMatch(/^p_[0-9a-f]{16}$/);
  });

  it('the same Prolific id has different pseudonyms in two studies', async () => {
    const other = await t.storage.createStudy({ name: 'Second study' });
    await grantStudyRole(t.storage, other.id, t.researcherId);
    const [a] = actors;
    if (!a) throw new Error('no actor played');
    const { participant } = await t.storage.people.findOrCreateParticipant({
      studyId: other.id,
      role: 'actor',
      prolific: { prolificPid: a.person.pid, prolificStudyId: a.person.prolificStudyId },
    });
    const rows = jsonLines(await get(`/api/studies/${other.id}/export/participants.jsonl`));
    expect(rows.map((r) => r.prolific_pid)).toEqual([a.person.pid]);
    const otherKey = await t.storage.people.getOrCreateAppSecret(pseudonymKeyName(other.id), 'not made by the export');
    expect(otherKey).not.toBe(key);
    expect(otherKey).not.toBe('not made by the export');
    expect(rows[0]?.participant_id).toBe(pseudonym(otherKey, 'participant', participant.id));
    expect(pseudonym(otherKey, 'prolificPid', a.person.pid)).not.toBe(named('prolificPid', a.person.pid));
    // The first study's pseudonyms did not move when the second study got its key.
    expect((await exportJsonl('episodes')).find((e) => e.episode_id === a.episodeId)?.prolific_pid).toBe(
      named('prolificPid', a.person.pid),
    );
  });
});

describe('prefdisco participants export', () => {
  it('prints everything stored about one actor as JSON, with their real ids, through the real bin', async () => {
    const [a] = actors;
    if (!a) throw new Error('no actor played');
    // Joining records the consent decision when the study asks for it; one is recorded here if joining did not.
    const consent =
      (await t.storage.consent.getDecision(a.person.participantId)) ??
      (await t.storage.consent.recordDecision({
        participantId: a.person.participantId,
        studyId,
        role: 'actor',
        language: 'en',
        text: 'I agree to take part.',
        sha256: createHash('sha256').update('I agree to take part.').digest('hex'),
        decision: 'agreed',
        now: new Date(),
      }));
    const result = await runCli([
      'participants',
      'export',
      '--study',
      studyId,
      '--prolific-id',
      a.person.pid,
      '--db',
      dbFile,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const data = JSON.parse(result.stdout) as ParticipantData;
    expect(data.study).toEqual({ id: studyId, name: 'Sample benchmark' });
    expect(data.participant).toMatchObject({
      id: a.person.participantId,
      role: 'actor',
      prolificPid: a.person.pid,
      prolificStudyId: a.person.prolificStudyId,
      prolificSessionId: a.person.sessionId,
      inviteCode: a.person.code,
    });
    expect(data.consent).toEqual(consent);
    expect(data.consent?.decision).toBe('agreed');
    expect(data.outcome).toMatchObject({ outcome: 'completed', completionCode: CODES.completed });
    expect(data.episodes.map((e) => e.summary.id)).toEqual([a.episodeId]);
    const stored = await t.storage.getEpisode(a.episodeId);
    expect(data.episodes[0]?.events).toEqual(stored?.events);
    expect(data.selfRatings).toHaveLength(1);
    expect(data.selfRatings[0]?.event.justification).toBe('=Actor 1: clear, "but" long');
    expect(data.ratingsGiven).toEqual([]);
  });

  it('prints the ratings a rater gave; an unknown person or study is exit 1 with a message', async () => {
    const [r] = raters;
    if (!r) throw new Error('no rater rated');
    const result = await runCli([
      'participants',
      'export',
      '--study',
      'Sample benchmark',
      '--prolific-id',
      r.person.pid,
      '--db',
      dbFile,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const data = JSON.parse(result.stdout) as ParticipantData;
    expect(data.participant.role).toBe('rater');
    expect(data.episodes).toEqual([]);
    expect(data.ratingsGiven.map((g) => [g.itemId, g.scores]).sort()).toEqual(
      r.ratings.map((g) => [g.itemId, g.scores]).sort(),
    );

    const nobody = await runCli([
      'participants',
      'export',
      '--study',
      studyId,
      '--prolific-id',
      'nobody',
      '--db',
      dbFile,
    ]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no participant of study "Sample benchmark" joined with the Prolific id "nobody"');
    expect(nobody.stdout).toBe('');
    const noStudy = await runCli([
      'participants',
      'export',
      '--study',
      'Missing',
      '--prolific-id',
      r.person.pid,
      '--db',
      dbFile,
    ]);
    expect(noStudy.code).toBe(1);
    expect(noStudy.stderr).toContain('no study with the name or id "Missing"');
  });
});
