import { z } from 'zod';

/**
 * `GET /api/prompt-packs`: the prompt packs in the server's prompts folder (PREFDISCO_PROMPTS_DIR), which a study's
 * `promptPack` setting may name (docs/prompt-packs.md). A pack that cannot be used is listed with its problems, so the
 * console can say why it is not offered.
 */
export const PromptPackInfoSchema = z.object({
  /** The folder's name: what the study setting stores. */
  folder: z.string(),
  /** The manifest's name and the pack's hash, as episodes record them; null when the pack cannot be used. */
  name: z.string().nullable(),
  sha256: z.string().nullable(),
  /** The roles the pack fills; the others keep the built-in prompts. */
  roles: z.array(z.string()),
  /** Why the pack cannot be used, one line per problem, each naming its file; empty when it can. */
  problems: z.array(z.string()),
});
export type PromptPackInfo = z.infer<typeof PromptPackInfoSchema>;

export const PromptPacksResponseSchema = z.object({ packs: z.array(PromptPackInfoSchema) });
export type PromptPacksResponse = z.infer<typeof PromptPacksResponseSchema>;
