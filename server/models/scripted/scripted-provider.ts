import type { ModelConfig } from '../../../shared/schemas/models.ts';
import { ModelCallError, type ModelProvider, type ModelRequest, type ModelResponse } from '../model-provider.ts';
import { scriptedAssistantReply, type AssistantHint } from './scripted-assistant.ts';
import {
  scriptedDedup,
  scriptedDimensionProposal,
  scriptedGeneralDimensions,
  scriptedInstantiation,
  scriptedRubricCriteria,
} from './scripted-generation.ts';
import { scriptedCoherence, scriptedPersona } from './scripted-persona.ts';
import { scriptedCorrectness, scriptedDisclosure, scriptedRubricScore, scriptedUserReply } from './scripted-roles.ts';

type Hint = Record<string, unknown>;

/**
 * The offline, deterministic default model: it plays the model under test, the simulated user, the judges and the
 * labeler from the structured hints the engine attaches to each call. Good for demos and tests, never for research
 * numbers (`isTestModel`), and reports estimated token counts (4 characters ≈ 1 token) at zero cost.
 */
export class ScriptedProvider implements ModelProvider {
  readonly isTestModel = true;

  constructor(readonly config: ModelConfig) {}

  async complete(request: ModelRequest): Promise<ModelResponse> {
    if (request.signal?.aborted) throw new ModelCallError('aborted', 'call aborted', 1);
    const hint = (request.hint ?? {}) as Hint;
    const text = this.reply(request, hint);
    if (request.onChunk) {
      // Stream in word-sized pieces so live play looks and behaves like a real model.
      for (const piece of text.match(/\S+\s*|\s+/g) ?? []) request.onChunk(piece);
    }
    // Text only: the scripted model never looks at images (`run --image`), so they count for nothing.
    const input = request.messages.reduce((n, m) => n + m.content.length, 0);
    return {
      text,
      finishReason: 'stop',
      usage: { inputTokens: Math.ceil(input / 4), outputTokens: Math.ceil(text.length / 4), costUsd: 0 },
      attempts: 1,
      cached: false,
      latencyMs: 0,
    };
  }

  private reply(request: ModelRequest, hint: Hint): string {
    switch (request.purpose) {
      case 'assistant':
        return scriptedAssistantReply(request.messages, hint as unknown as AssistantHint);
      case 'simulated_user':
        return scriptedUserReply(hint as Parameters<typeof scriptedUserReply>[0]);
      case 'rubric_judge':
        return scriptedRubricScore(hint as Parameters<typeof scriptedRubricScore>[0]);
      case 'correctness_judge':
        return scriptedCorrectness(hint as Parameters<typeof scriptedCorrectness>[0]);
      case 'disclosure_labeler':
        return scriptedDisclosure(hint as Parameters<typeof scriptedDisclosure>[0]);
      case 'persona_generation':
        return scriptedPersona(hint, request.messages);
      case 'persona_coherence_check':
        return scriptedCoherence(hint);
      case 'general_dimensions':
        return scriptedGeneralDimensions(hint);
      case 'dimension_proposal':
        return scriptedDimensionProposal(hint);
      case 'dimension_dedup':
        return scriptedDedup(hint);
      case 'preference_instantiation':
        return scriptedInstantiation(hint);
      case 'rubric_generation':
        return scriptedRubricCriteria(hint);
    }
  }
}
