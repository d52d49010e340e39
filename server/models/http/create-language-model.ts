import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { wrapLanguageModel, type LanguageModelMiddleware } from 'ai';
import type { ModelConfig } from '../../../shared/schemas/models.ts';

/** The AI SDK's provider-level model type (LanguageModelV3), named without importing @ai-sdk/provider directly. */
export type SdkLanguageModel = ReturnType<typeof wrapLanguageModel>;

export interface LanguageModels {
  /** For ordinary calls. */
  text: SdkLanguageModel;
  /** For JSON-mode calls: the same model, asking for a JSON object where the provider has a schema-less JSON mode. */
  json: SdkLanguageModel;
}

/**
 * A call-level `responseFormat: { type: 'json' }` without a schema is how AI SDK 6 asks for JSON mode: the OpenAI
 * and OpenAI-compatible chat models send `response_format: {"type":"json_object"}`, Google sends
 * `responseMimeType: "application/json"` (the reference's Gemini path). `Output.json()` would set the same thing but
 * also makes generateText parse the reply and throw on fenced or invalid JSON, and the engine parses leniently itself.
 */
const jsonObjectMode: LanguageModelMiddleware = {
  specificationVersion: 'v3',
  transformParams: async ({ params }) => ({ ...params, responseFormat: { type: 'json' } }),
};

export function createLanguageModels(config: ModelConfig, apiKey: string | undefined): LanguageModels {
  const text = createBaseModel(config, apiKey);
  // Anthropic (direct or on Bedrock) ignores a schema-less JSON format with a warning; there the appended
  // instruction does the work.
  const instructionOnly = config.provider === 'anthropic' || config.provider === 'bedrock';
  const json = instructionOnly ? text : wrapLanguageModel({ model: text, middleware: jsonObjectMode });
  return { text, json };
}

function createBaseModel(config: ModelConfig, apiKey: string | undefined): SdkLanguageModel {
  // An empty key rather than undefined: otherwise the vendor SDKs fall back to reading their own environment
  // variable, bypassing the apiKeyEnv the config names. A missing key then shows up as an 'auth' error.
  const key = apiKey ?? '';
  const baseURL = config.baseUrl;
  switch (config.provider) {
    case 'openai-compatible': {
      if (!baseURL) throw new Error(`model "${config.name}": an openai-compatible model needs baseUrl`);
      // includeUsage makes streamed replies report token counts (stream_options.include_usage).
      return createOpenAICompatible({ name: config.name, baseURL, apiKey, includeUsage: true })(config.model);
    }
    case 'openai':
      // The chat-completions endpoint, not the Responses API: it is what OpenAI-like gateways implement too.
      return createOpenAI({ apiKey: key, baseURL }).chat(config.model);
    case 'anthropic':
      return createAnthropic({ apiKey: key, baseURL })(config.model);
    case 'google':
      return createGoogleGenerativeAI({ apiKey: key, baseURL })(config.model);
    case 'azure':
      // `model` is the deployment name. Chat completions, as for openai; an apiVersion selects the older
      // deployment-based URLs that many Azure resources still serve.
      return createAzure({
        apiKey: key,
        baseURL,
        ...(config.apiVersion ? { apiVersion: config.apiVersion, useDeploymentBasedUrls: true } : {}),
      }).chat(config.model);
    case 'bedrock':
      // With apiKeyEnv, a Bedrock API key (bearer token). Without it, the AWS SDK's usual credentials: the
      // provider signs requests with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, which it reads
      // itself (docs/models.md says so; they are the operator's standard AWS variables, not our configuration).
      return createAmazonBedrock({
        ...(config.region ? { region: config.region } : {}),
        ...(baseURL ? { baseURL } : {}),
        ...(apiKey ? { apiKey } : {}),
      })(config.model);
    case 'scripted':
      throw new Error(`model "${config.name}" uses the scripted provider, which is not an HTTP provider`);
  }
}
