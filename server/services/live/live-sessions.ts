import { randomUUID } from 'node:crypto';
import type { PlaySnapshot, ResyncResult } from '../../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { actorRatedEvent, type ActorRating } from './actor-rating.ts';
import { actorResync } from './actor-resync.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';
import { LiveEpisodes } from './live-episodes.ts';
import { startPrompts } from './live-prompts.ts';
import { newLiveEpisodeInfo } from './new-live-episode.ts';
import { AppError } from '../../../shared/errors.ts';

type Actor = Extract<Identity, { kind: 'participant' }>;
/** What the caller has just read (or made): not read again. */
type KnownParts = { info?: LiveEpisodeInfo; record?: BenchmarkRecord | undefined; settings?: LivePlaySettings };

/**
 * Live play: episodes whose user seat is a person. Starts and resumes them (also after a server restart), takes the
 * person's replies (stored before they are acknowledged, idempotent by client message id), lets a reconnecting
 * browser catch up exactly, and records the person's own rating and question tags.
 */
export class LiveSessions {
  private readonly episodes: LiveEpisodes;

  constructor(private readonly deps: LiveDeps) {
    this.episodes = new LiveEpisodes(deps);
  }

  /** The actor's current episode (resumed if one is running), or a new one from the study's queue. */
  async startOrResume(
    actor: Actor,
    beforeStart: (episodeId: string) => Promise<void> = async () => undefined,
  ): Promise<PlaySnapshot> {
    // A running episode, or a finished one still waiting for the actor's rating, is theirs to continue. One that
    // storage says runs but this process does not hold is resumed from its events; if it cannot be, it has just
    // ended as failed and the actor goes on to a new unit.
    const current =
      (await this.deps.storage.live.runningFor(actor.participantId)) ??
      (await this.deps.storage.live.awaitingRatingFor(actor.participantId));
    const held = current ? await this.deps.storage.live.get(current) : null;
    if (current && held && (held.summary.status !== 'running' || (await this.episodes.live(held)))) {
      await beforeStart(current);
      return this.snapshot(actor, current, { record: this.episodes.get(current)?.record });
    }
    const unit = await this.deps.queue.nextPlay(actor.studyId, actor.participantId);
    if (!unit) throw new AppError('no_work', 'there is nothing left to play in this study');
    const record = await this.deps.storage.getRecord(unit.studyId, unit.problemId);
    if (!record) throw new AppError('not_found', `record ${unit.problemId} is not in the study`);
    const settings = await this.deps.queue.settings(unit.studyId);
    const id = randomUUID();
    const assistant = this.deps.model(unit.model);
    const judge = this.deps.model(settings.judgeModel);
    const simulator = this.deps.model(settings.simulatorModel);
    // The study's prompt pack, loaded now and pinned in the spec, so a resume goes on with the same prompts.
    const { prompts, pin } = startPrompts(settings, this.deps.prompts, this.deps.log.child({ studyId: unit.studyId }));
    const start = { id, unit, participantId: actor.participantId, pin };
    const info = newLiveEpisodeInfo(start, record, settings, { assistant, judge, simulator });
    await this.deps.storage.live.begin(info);
    // The browser joins the episode's updates before the model starts, so it sees the first turn stream.
    await beforeStart(id);
    // The simulated twin starts only once the person has played (reply, rate): see ensureSimulatedTwin.
    await this.episodes.start(info, record, settings, prompts);
    return this.snapshot(actor, id, { info, record, settings });
  }

  private async owned(actor: Actor, episodeId: string): Promise<LiveEpisodeInfo> {
    const info = await this.deps.storage.live.get(episodeId);
    // The same answer for "no such episode" and "not yours", so ids cannot be probed.
    if (!info || info.participantId !== actor.participantId) throw new AppError('not_found', 'no such episode');
    return info;
  }

  /**
   * An episode still running goes on here before an event is added beside its engine (resumed if its owner died), so
   * its log gets seqs from one node only; `episode_elsewhere` while another live node runs it.
   */
  private async heldHere(info: LiveEpisodeInfo): Promise<void> {
    if (info.summary.status === 'running') await this.episodes.live(info);
  }

  /** Throws unless the actor played this episode. */
  async snapshotAccess(actor: Actor, episodeId: string): Promise<void> {
    await this.owned(actor, episodeId);
  }

  /** Throws unless the episode is a live one. */
  async watchAccess(episodeId: string): Promise<void> {
    if (!(await this.deps.storage.live.get(episodeId))) throw new AppError('not_found', 'no such live episode');
  }

  async snapshot(actor: Actor, episodeId: string, known: KnownParts = {}): Promise<PlaySnapshot> {
    const info = known.info ?? (await this.owned(actor, episodeId));
    const record = known.record ?? (await this.deps.storage.getRecord(info.studyId, info.summary.problemId));
    if (!record) throw new AppError('not_found', 'the record of this episode is gone');
    const settings = known.settings ?? (await this.deps.queue.settings(info.studyId));
    // Info this request made (a new episode) holds while the episode runs here; else read now, as resync reads it.
    const sync =
      !known.info || this.episodes.get(episodeId)
        ? await this.resyncOwned(info, -1)
        : await this.resync(actor, episodeId, -1);
    return {
      episodeId,
      status: sync.status,
      persona: record.persona,
      preferences: record.persona_preferences,
      rubric: record.evaluation_rubric.evaluation_criteria,
      maxTurns: Number(info.spec.maxTurns ?? settings.maxTurns),
      idleTimeoutSeconds: settings.idleTimeoutSeconds,
      instructions: settings.instructions,
      events: sync.events,
      streaming: sync.streaming,
      awaitingTurn: sync.awaitingTurn,
      completionCode: sync.completionCode,
    };
  }

  /** Exactly the person-visible events after `afterSeq`, and the model turn being streamed right now. */
  async resync(actor: Actor, episodeId: string, afterSeq: number): Promise<ResyncResult> {
    return this.resyncOwned(await this.owned(actor, episodeId), afterSeq);
  }

  /** resync for an episode the caller has checked is the actor's (`owned`): actor-resync.ts. */
  private resyncOwned(info: LiveEpisodeInfo, afterSeq: number): Promise<ResyncResult> {
    return actorResync(this.episodes, this.deps, info, afterSeq);
  }

  /** Takes the person's reply: stored, then handed to the engine; a resend with the same id returns the same seq. */
  async reply(
    actor: Actor,
    episodeId: string,
    clientMessageId: string,
    text: string,
  ): Promise<{ seq: number; duplicate: boolean }> {
    // The episode running here knows whose it is: no read of its row for every message (only for one not held here).
    const running = this.episodes.get(episodeId);
    const held = running?.info;
    const info = held?.participantId === actor.participantId ? held : await this.owned(actor, episodeId);
    // A resent reply: the log of an episode running here has every stored event in memory; storage has the others.
    const stored =
      running && held === info
        ? running.storedSeqOf(clientMessageId)
        : await this.deps.storage.live.findClientMessage(episodeId, clientMessageId);
    if (stored !== null) return { seq: stored, duplicate: true };
    const episode = await this.episodes.live(info);
    if (!episode) throw new AppError('episode_closed', 'this episode is not running');
    if (episode.hasPendingAck(clientMessageId))
      return { seq: await episode.awaitStored(clientMessageId), duplicate: true };
    const turn = episode.seat.awaitingTurn;
    if (turn === null) throw new AppError('not_your_turn', 'the model has not asked you anything yet');
    const stored$ = episode.awaitStored(clientMessageId);
    episode.clearIdleTimer();
    episode.seat.deliver(turn, text, clientMessageId);
    const seq = await stored$;
    // Still playing: keep the assignment's lease alive however long the episode takes (at most every few seconds:
    // play-lease-renewal.ts). Not awaited: the person waits for their reply to be stored, not for the lease's bookkeeping
    // (a failure is logged; a later reply renews again).
    if (this.deps.queue.renewPlay && episode.playLease.due(Date.now()))
      void this.deps.queue
        .renewPlay(episode.info.assignmentId, episode.info.studyId, actor.participantId)
        .catch((error: unknown) =>
          episode.logger.error(
            { err: error, assignmentId: episode.info.assignmentId },
            'renewing the play lease failed',
          ),
        );
    // The person has played: now (once) the simulated twin may cost model calls.
    void this.episodes
      .ensureSimulatedTwin(episode)
      .catch((error: unknown) => episode.logger.error({ err: error }, 'starting the simulated twin failed'));
    return { seq, duplicate: false };
  }

  async tag(
    actor: Actor,
    episodeId: string,
    turn: number,
    tag: 'relevant' | 'redundant' | 'premature' | 'off_persona',
  ): Promise<{ seq: number }> {
    await this.heldHere(await this.owned(actor, episodeId));
    const events = await this.episodes.logs.eventsOf(episodeId);
    if (!events.some((e) => e.type === 'message' && e.kind === 'question' && e.turn === turn))
      throw new AppError('invalid_payload', `no question at turn ${turn}`);
    return this.episodes.logs.appendOutsideEngine(episodeId, { type: 'question_tagged', turn, tag }, events);
  }

  /** The person's own rating of the final answer, on every rubric criterion; completes their assignment. */
  async rate(
    actor: Actor,
    episodeId: string,
    rating: ActorRating,
  ): Promise<{ seq: number; completionCode: string | null }> {
    const info = await this.owned(actor, episodeId);
    await this.heldHere(info);
    const record =
      this.episodes.get(episodeId)?.record ?? (await this.deps.storage.getRecord(info.studyId, info.summary.problemId));
    const events = await this.episodes.logs.eventsOf(episodeId);
    if (!events.some((e) => e.type === 'message' && e.kind === 'final_answer'))
      throw new AppError('not_your_turn', 'there is no final answer to rate yet');
    if (events.some((e) => e.type === 'actor_rated')) throw new AppError('conflict', 'this answer is already rated');
    const event = actorRatedEvent(record, rating);
    const { seq } = await this.episodes.logs.appendOutsideEngine(episodeId, event, events);
    this.episodes.logs.rated(episodeId);
    const completionCode = await this.deps.queue.completePlay(info.assignmentId, info.studyId, actor.participantId);
    // Where the mode has no conversation, rating is how the person plays: the twin starts here (once) then.
    if (record) {
      void this.episodes
        .ensureSimulatedTwin(info)
        .catch((error: unknown) =>
          this.deps.log.error({ err: error, studyId: info.studyId, episodeId }, 'starting the simulated twin failed'),
        );
    }
    return { seq, completionCode };
  }

  /** Full log for a researcher watching (no blinding: researchers see everything). */
  async watch(episodeId: string): Promise<EpisodeEvent[]> {
    const info = await this.deps.storage.live.get(episodeId);
    if (!info) throw new AppError('not_found', 'no such live episode');
    const running = this.episodes.get(episodeId);
    // While saving is delayed the researcher sees what is stored so far, rather than wait for storage.
    if (running && !running.storageDelayed) await running.flushed();
    return this.deps.storage.live.eventsAfter(episodeId, -1);
  }

  /**
   * A researcher ends a stuck live session: the engine stops, `episode_failed` (`ended_by_researcher`, with the
   * reason) is stored, the episode is finished as failed and its play lease released; the actor sees the end.
   * `not_found` unless the episode is a live one of this study; `conflict` once it is over.
   */
  async endByResearcher(studyId: string, episodeId: string, reason: string): Promise<void> {
    const info = await this.deps.storage.live.get(episodeId);
    if (!info || info.studyId !== studyId) throw new AppError('not_found', 'no such live episode in this study');
    if (info.summary.status !== 'running')
      throw new AppError('conflict', `this episode is already ${info.summary.status}`);
    await this.episodes.end(info, { code: 'ended_by_researcher', reason });
    // The engine may have finished on its own just before it was stopped: say so rather than claim it was ended.
    const after = await this.deps.storage.live.get(episodeId);
    if (after?.summary.status !== 'failed' || after.summary.failure?.reason !== reason)
      throw new AppError('conflict', `this episode ended on its own (${after?.summary.status ?? 'unknown'})`);
  }

  /** Continues every live episode a previous process left running (called at start-up, before listening). */
  recover(): Promise<number> {
    return this.episodes.recover();
  }

  /** Stops all live episodes (server shutdown); they stay 'running' in storage and resume at the next start. */
  close(): Promise<void> {
    return this.episodes.close();
  }
}
