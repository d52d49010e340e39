import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Caps the sockets one address may hold open at once (HTTP and WebSocket alike: both start as a raw connection), so
 * one host cannot use up the process's file descriptors with idle sockets. The excess is destroyed at once, before a
 * byte is read. Counted by the socket's own peer address: behind a reverse proxy every client shares the proxy's
 * address, so the proxy does this job and the cap there should be high.
 */
export function limitConnectionsPerAddress(server: Server, maxPerAddress: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** The soft "Max open files" limit of this process (Linux: /proc/self/limits); null where it cannot be read. */
export function openFilesLimit(limitsFile = '/proc/self/limits'): number | null {
  try {
    const line = readFileSync(limitsFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

/**
 * Warns at start-up when the descriptor limit is lower than the connection cap implies: a few addresses at their cap
 * (plus the database and log files) would then run the process out of descriptors before the cap is reached.
 */
export function warnIfFewDescriptors(
  log: { warn(fields: object, message: string): void },
  maxPerAddress: number,
  limit = openFilesLimit(),
): void {
  const wanted = maxPerAddress * 4 + 256;
  if (limit !== null && limit < wanted) {
    log.warn(
      { openFilesLimit: limit, maxConnectionsPerIp: maxPerAddress, wanted },
      `the open-files limit (${limit}) is below ${wanted}, what four addresses at the connection cap need; raise it ` +
        '(systemd: LimitNOFILE=65536) or lower PREFDISCO_MAX_CONNECTIONS_PER_IP',
    );
  }
}
