import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll } from 'vitest';

/**
 * A bare Socket.IO server on a free local port, for client code tested against a real server without the app:
 * `configure` gives it the middleware and handlers the test needs. It listens before the file's tests and closes
 * after them; `url` is known once it listens.
 */
export function socketIoServer(configure: (server: Server) => void): { readonly url: string } {
  const http = createServer();
  const server = new Server(http);
  configure(server);
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
  });
  return {
    get url() {
      return url;
    },
  };
}
