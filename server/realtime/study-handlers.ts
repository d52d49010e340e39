import { AppError } from '../../shared/errors.ts';
import { StudyListPayloadSchema } from '../../shared/protocol/live.ts';
import type { Storage } from '../storage/storage.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { Logger } from '../services/logger.ts';
import { socketRequests } from './guarded-ack.ts';

/** Socket requests about studies. Thin: parse, call storage or a service, ack. */
export function registerStudyHandlers(io: RealtimeServer, storage: Storage, log: Logger): void {
  io.on('connection', (socket) => {
    const on = socketRequests(socket, log);
    on('study:list', StudyListPayloadSchema, async () => {
      const identity = socket.data.identity;
      if (!identity) throw new AppError('unauthenticated', 'log in first');
      if (identity.kind !== 'researcher') throw new AppError('forbidden', 'researchers only');
      return storage.listStudies();
    });
  });
}
