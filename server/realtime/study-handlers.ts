import { z } from 'zod';
import type { Storage } from '../storage/storage.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import { guardedAck } from './guarded-ack.ts';
import { AppError } from '../../shared/errors.ts';

const EmptyPayload = z.object({}).strict();

/** Socket requests about studies. Thin: parse, call storage or a service, ack. */
export function registerStudyHandlers(io: RealtimeServer, storage: Storage): void {
  io.on('connection', (socket) => {
    socket.on(
      'study:list',
      guardedAck(EmptyPayload, async () => {
        const identity = socket.data.identity;
        if (!identity) throw new AppError('unauthenticated', 'log in first');
        if (identity.kind !== 'researcher') throw new AppError('forbidden', 'researchers only');
        return storage.listStudies();
      }),
    );
  });
}
