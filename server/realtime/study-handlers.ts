import { z } from 'zod';
import type { Storage } from '../storage/storage.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import { guardedAck } from './guarded-ack.ts';

const EmptyPayload = z.object({}).strict();

class Refusal extends Error {
  constructor(
    readonly ackCode: 'unauthenticated' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

/** Socket requests about studies. Thin: parse, call storage or a service, ack. */
export function registerStudyHandlers(io: RealtimeServer, storage: Storage): void {
  io.on('connection', (socket) => {
    socket.on(
      'study:list',
      guardedAck(EmptyPayload, async () => {
        const identity = socket.data.identity;
        if (!identity) throw new Refusal('unauthenticated', 'log in first');
        if (identity.kind !== 'researcher') throw new Refusal('forbidden', 'researchers only');
        return storage.listStudies();
      }),
    );
  });
}
