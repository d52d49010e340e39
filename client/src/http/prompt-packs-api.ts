import { PromptPacksResponseSchema, type PromptPackInfo } from '../../../shared/schemas/api-prompt-packs.ts';
import { getJson } from './request.ts';

/** The prompt packs in the server's prompts folder, usable or not, for the study settings' pack field. */
export async function fetchPromptPacks(signal?: AbortSignal): Promise<PromptPackInfo[]> {
  return (await getJson('/api/prompt-packs', PromptPacksResponseSchema, signal)).packs;
}
