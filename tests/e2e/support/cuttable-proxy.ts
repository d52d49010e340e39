import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of the app that a test can cut and mend, to drop a browser's WebSocket as a train tunnel
 * would: Chromium's offline emulation does not close open WebSockets, so it cannot test reconnecting.
 */
export interface CuttableProxy {
  /** http://127.0.0.1:<port>: the app, through the proxy. */
  url: string;
  /** Drops every open connection and refuses new ones until `mend`. */
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function cuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect(Number(port), hostname);
    open.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const listening = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${listening}`,
    cut: () => {
      cut = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    mend: () => {
      cut = false;
    },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
