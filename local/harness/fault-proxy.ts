// A TCP proxy in front of dynalite that can refuse connections, reset them mid-response or
// leave them hanging: the faults a real network gives the SDK's own HTTP handler.

import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'reset' | 'hang';

export class FaultProxy {
  mode: ProxyMode = 'pass';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private readonly upstream: { host: string; port: number };

  constructor(upstream: { host: string; port: number }) {
    this.upstream = upstream;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => this.connect(client));
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Sets the fault; 'refuse' closes the listening socket, anything else reopens it. */
  async setMode(mode: ProxyMode): Promise<void> {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
    if (mode === 'refuse' && this.server) {
      const closed = new Promise((resolve) => this.server?.close(resolve));
      this.server = undefined;
      await closed;
    } else if (mode !== 'refuse' && !this.server) {
      await this.start();
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server) await new Promise((resolve) => this.server?.close(resolve));
    this.server = undefined;
  }

  private connect(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (this.mode === 'hang') return; // accept, read, never answer
    const upstream = createConnection(this.upstream);
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    if (this.mode === 'reset') {
      // Forward half of the first chunk of the answer, then reset the connection.
      upstream.once('data', (chunk: Buffer) => {
        client.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => client.resetAndDestroy());
        upstream.destroy();
      });
      return;
    }
    upstream.pipe(client);
  }
}
