import { z } from 'zod';

/**
 * One working tab per participant. A participant may open their study in several tabs (or browsers); the server keeps
 * one of them as the tab that plays or rates, so two tabs never answer the same question or lose each other's draft.
 * Each tab claims the task when it connects (`session:claim`); a claim that would take it from another open tab is
 * answered `open_elsewhere` unless the person chose to continue there (`takeOver`), and then the other tab is told
 * (`session:taken-over`) and refused from then on (`taken_over`). docs/live-play.md, "Tabs, Back and drafts".
 */

export const TabClaimPayloadSchema = z.strictObject({
  /** Made by the page when it loads: sockets of the same page (a reconnect) are one tab, not two. */
  tabId: z.string().min(1).max(100),
  /** The person chose to continue here: the other tab, if any, stops. */
  takeOver: z.boolean(),
});
export type TabClaimPayload = z.infer<typeof TabClaimPayloadSchema>;

/** `active`: this tab plays or rates now. `open_elsewhere`: another tab has the task; ask before taking it. */
export const TabClaimResultSchema = z.object({ state: z.enum(['active', 'open_elsewhere']) });
export type TabClaimResult = z.infer<typeof TabClaimResultSchema>;

/** `session:taken-over`: to a tab whose task another tab has taken; it stops playing and says where to continue. */
export const TakenOverSchema = z.object({});
