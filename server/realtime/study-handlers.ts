import { StudyListPayloadSchema } from '../../shared/protocol/live.ts';
import type { Storage } from '../storage/storage.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { Logger } from '../services/logger.ts';
import { socketRequests } from './guarded-ack.ts';
import { researcherOf, studiesOf } from '../services/access/study-access.ts';

/** Socket requests about studies. Thin: parse, call storage or a service, ack. */
export function registerStudyHandlers(io: RealtimeServer, storage: Storage, log: Logger): void {
  io.on('connection', (socket) => {
    const on = socketRequests(socket, log);
    on('study:list', StudyListPayloadSchema, async () => {
      // Only the studies the researcher has a role in, each with that role.
      return studiesOf(storage, researcherOf(socket.data.identity).researcherId);
    });
  });
}
