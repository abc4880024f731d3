// A TCP proxy in front of dynalite that can refuse connections, reset them mid-response or
// leave them hanging: the faults a real network gives the SDK's own HTTP handler. It can also
// throttle: answer DynamoDB's ProvisionedThroughputExceededException to every request whose
// X-Amz-Target matches `throttled` (all by default), and pass the others on.

import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'reset' | 'hang' | 'throttle';

const THROTTLED_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
});
const THROTTLED =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: fault-proxy\r\n' +
  `Content-Length: ${Buffer.byteLength(THROTTLED_BODY)}\r\n\r\n${THROTTLED_BODY}`;
const HEADERS_END = Buffer.from('\r\n\r\n');

export class FaultProxy {
  mode: ProxyMode = 'pass';
  /** In 'throttle' mode, the operations throttled (matched against X-Amz-Target). */
  throttled: RegExp = /./;
  /** Requests answered with the throttling error so far. */
  throttledCount = 0;
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
    if (this.mode === 'throttle') {
      this.throttle(client);
      return;
    }
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

  /**
   * Reads each HTTP request on the connection (the SDK sends the next only after the answer
   * to the last): a throttled one is answered here, the others go upstream.
   */
  private throttle(client: Socket): void {
    let upstream: Socket | undefined;
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf(HEADERS_END);
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        const size = end + HEADERS_END.length + length;
        if (pending.length < size) return;
        const request = pending.subarray(0, size);
        pending = pending.subarray(size);
        const target = /\r\nx-amz-target:\s*(\S+)/i.exec(head)?.[1] ?? '';
        if (this.throttled.test(target)) {
          this.throttledCount++;
          client.write(THROTTLED);
          continue;
        }
        if (upstream === undefined) {
          upstream = createConnection(this.upstream);
          this.sockets.add(upstream);
          const opened = upstream;
          opened.on('close', () => this.sockets.delete(opened));
          opened.on('error', () => client.destroy());
          opened.pipe(client);
        }
        upstream.write(request);
      }
    });
  }
}
