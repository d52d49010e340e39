import { z } from 'zod';

/**
 * What app nodes on one PostgreSQL database ask each other through the Socket.IO adapter (`serverSideEmit` with an
 * acknowledgement: each other node answers once). Parsed on arrival like any payload: during a rolling upgrade the
 * asking node may run another version.
 */

/** `presence:query`: each node's record of these participants' sockets (none: the participant never connected there). */
export const PresenceQuerySchema = z.object({ participantIds: z.array(z.string().min(1).max(100)).max(10_000) });
export type PresenceQuery = z.infer<typeof PresenceQuerySchema>;

/** One node's record of one participant: open sockets there now, and when things last happened there (ISO times). */
export const NodePresenceSchema = z.object({
  participantId: z.string(),
  sockets: z.number().int().min(0),
  /** When the current online stretch there began: its first socket, or input after an idle spell. */
  activeSince: z.string(),
  lastInputAt: z.string(),
  /** When its last socket there closed; null while one is open. */
  disconnectedAt: z.string().nullable(),
});
export type NodePresence = z.infer<typeof NodePresenceSchema>;
export const NodePresenceListSchema = z.array(NodePresenceSchema);

/**
 * `tabs:claim`: a tab of this participant on the asking node claims the task (shared/protocol/tabs.ts). Each other
 * node closes its older sockets of the same tab, takes the task from its other tabs if `takeOver`, and answers
 * whether it had any.
 */
export const RemoteTabClaimSchema = z.object({
  participantId: z.string().min(1).max(100),
  tabId: z.string().min(1).max(100),
  takeOver: z.boolean(),
});
export type RemoteTabClaim = z.infer<typeof RemoteTabClaimSchema>;
export const RemoteTabClaimAnswerSchema = z.object({ othersOpen: z.boolean() });
export type RemoteTabClaimAnswer = z.infer<typeof RemoteTabClaimAnswerSchema>;
