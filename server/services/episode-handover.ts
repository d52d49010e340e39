import type { Storage } from '../storage/storage.ts';

/**
 * A participant's tab now plays on another node (their task was claimed there, shared/protocol/cross-node.ts
 * `tabs:claim`): if this node owns their running live episode, it gives the episode's lease up, so that node resumes
 * it from its stored events at the tab's next request instead of answering `episode_elsewhere` for as long as this
 * node lives (the proxy's sticky sessions would keep sending the tab back to that node). This node's copy stops at its
 * next write, which the owner check refuses (fenced writes, live-storage.ts `appendOwned`), or at its next lease
 * renewal, when the renewal no longer names the episode, whichever comes first: as on a node that stalled past its
 * lease (episode-ownership.ts), nothing it tries to store after this lands. Returns the episode given up, if any.
 */
export async function handOverEpisodeOf(
  storage: Pick<Storage, 'live' | 'nodes'>,
  node: string,
  participantId: string,
): Promise<string | null> {
  const episodeId = await storage.live.runningFor(participantId);
  if (!episodeId) return null;
  const owner = await storage.nodes.ownerOf(episodeId);
  if (owner?.node !== node) return null;
  await storage.nodes.releaseEpisode(episodeId, node);
  return episodeId;
}
