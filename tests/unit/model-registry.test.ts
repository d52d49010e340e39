import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { loadModelConfigs, ModelRegistry, ModelsConfigError } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();

describe('model configuration', () => {
  it('without a models file only the scripted model exists', () => {
    const configs = loadModelConfigs(join(dir, 'absent.json'));
    expect(configs.map((c) => c.name)).toEqual(['scripted']);
    expect(new ModelRegistry(configs, () => undefined).get('scripted')).toBeInstanceOf(ScriptedProvider);
  });

  it('the shipped example file is valid', () => {
    const configs = loadModelConfigs(join(PROJECT_ROOT, 'config', 'models.example.json'));
    expect(configs.map((c) => c.provider)).toEqual([
      'scripted',
      'openai-compatible',
      'openai-compatible',
      'openai',
      'anthropic',
      'google',
      'openai-compatible',
      'azure',
      'bedrock',
    ]);
  });

  it('azure needs its endpoint and bedrock its region; apiVersion and region belong to those providers only', () => {
    const file = writeFile(
      dir,
      'cloud.json',
      JSON.stringify({
        models: [
          { name: 'az', provider: 'azure', model: 'deployment' },
          { name: 'br', provider: 'bedrock', model: 'anthropic.claude' },
          { name: 'oa', provider: 'openai', model: 'gpt-4o', apiVersion: '2024-10-21', region: 'us-east-1' },
        ],
      }),
    );
    expect(() => loadModelConfigs(file)).toThrow(
      [
        '$.models[0].baseUrl: an azure model needs baseUrl, the resource endpoint https://RESOURCE.openai.azure.com/openai',
        '$.models[1].region: a bedrock model needs region (e.g. us-east-1)',
        '$.models[2].apiVersion: apiVersion applies to azure models only',
        '$.models[2].region: region applies to bedrock models only',
      ].join('\n  '),
    );
  });

  it('a bad file names the file and the field', () => {
    const file = writeFile(
      dir,
      'bad.json',
      JSON.stringify({
        models: [
          { name: 'x', provider: 'openai-compatible', model: 'm' },
          { name: 'y', provider: 'bard', model: 'm' },
        ],
      }),
    );
    expect(() => loadModelConfigs(file)).toThrowError(ModelsConfigError);
    expect(() => loadModelConfigs(file)).toThrowError(
      /\$\.models\[0\]\.baseUrl: an openai-compatible model needs baseUrl/,
    );
    expect(() => loadModelConfigs(file)).toThrowError(/\$\.models\[1\]\.provider/);
    const dup = writeFile(
      dir,
      'dup.json',
      JSON.stringify({
        models: [
          { name: 'a', provider: 'openai', model: 'm' },
          { name: 'a', provider: 'openai', model: 'n' },
        ],
      }),
    );
    expect(() => loadModelConfigs(dup)).toThrowError(/declared twice/);
    const reserved = writeFile(
      dir,
      'reserved.json',
      JSON.stringify({ models: [{ name: 'scripted', provider: 'openai', model: 'm' }] }),
    );
    expect(() => loadModelConfigs(reserved)).toThrowError(/reserved/);
    const notJson = writeFile(dir, 'not.json', '{ models: ');
    expect(() => loadModelConfigs(notJson)).toThrowError(/not\.json: not valid JSON/);
  });

  it('API keys come from the named environment variable; a missing one is a clear error', () => {
    const file = writeFile(
      dir,
      'keys.json',
      JSON.stringify({ models: [{ name: 'gpt', provider: 'openai', model: 'gpt-4o', apiKeyEnv: 'TEST_OPENAI_KEY' }] }),
    );
    const configs = loadModelConfigs(file);
    expect(() => new ModelRegistry(configs, () => undefined).get('gpt')).toThrowError(
      'model "gpt" needs its API key in the environment variable TEST_OPENAI_KEY, which is not set',
    );
    const asked: string[] = [];
    const registry = new ModelRegistry(configs, (name) => (asked.push(name), 'sk-test'));
    const provider = registry.get('gpt');
    expect(provider).toBeInstanceOf(AiSdkProvider);
    expect(registry.get('gpt')).toBe(provider);
    expect(asked).toEqual(['TEST_OPENAI_KEY']);
    expect(() => registry.get('nope')).toThrowError('unknown model "nope"; declared models: scripted, gpt');
  });
});
