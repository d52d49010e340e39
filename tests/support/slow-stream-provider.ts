import { setTimeout as sleep } from 'node:timers/promises';
import {
  ModelCallError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from '../../server/models/model-provider.ts';

/**
 * The scripted model's answers, streamed a few characters at a time with a pause between pieces, so a test can
 * disconnect or stop the server in the middle of a model turn.
 */
export class SlowStreamProvider implements ModelProvider {
  constructor(
    private readonly inner: ModelProvider,
    private readonly pieceChars = 8,
    private readonly pauseMs = 40,
  ) {}

  /** A name of its own, so episodes that record it as their model find it again (e.g. after a restart). */
  get config(): ModelProvider['config'] {
    return { ...this.inner.config, name: 'slow-scripted' };
  }

  get isTestModel(): boolean {
    return this.inner.isTestModel;
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const { onChunk, ...rest } = request;
    const response = await this.inner.complete(rest);
    if (onChunk) {
      for (let i = 0; i < response.text.length; i += this.pieceChars) {
        await sleep(this.pauseMs, undefined, request.signal ? { signal: request.signal } : {}).catch(() => undefined);
        if (request.signal?.aborted) throw new ModelCallError('aborted', 'call aborted', 1);
        onChunk(response.text.slice(i, i + this.pieceChars));
      }
    }
    return response;
  }
}
