// Starts the local stack exactly as `npm start` does (node local/start.ts), on free ports,
// and stops it with SIGTERM as a person's Ctrl-C would.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A build folder of this process's own, inside the repository (esbuild resolves from there). */
export const workFolder = (): string =>
  `.esbuild-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

export interface LocalStack {
  /** The runner's process (local/start.ts). */
  readonly pid: number;
  readonly httpUrl: string;
  readonly lambdaUrl: string;
  /** Everything the stack printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once every process has gone. */
  stop(): Promise<number | null>;
}

export const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

/** True when nothing listens on 127.0.0.1:`port` any more. */
export const portClosed = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => resolve(socket.destroy() && false));
    socket.once('error', () => resolve(true));
  });

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface StackOptions {
  /**
   * False stops reading the stack's output once it is ready (the load run: its functions
   * write two lines a request, tens of MB a run); `output()` then ends there.
   */
  readonly keepOutput?: boolean;
  /**
   * A copy of the service to run in, with `npm start`'s own build folder (the caller removes
   * the copy); by default the stack runs in the repository, in a build folder of its own.
   */
  readonly service?: string;
}

export const startLocalStack = async (
  env: Record<string, string> = {},
  baseEnv: NodeJS.ProcessEnv = process.env,
  { keepOutput = true, service }: StackOptions = {},
): Promise<LocalStack> => {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const buildFolder = service === undefined ? workFolder() : undefined;
  let output = '';
  const { ESBUILD_WORK_FOLDER: _, ...inherited } = baseEnv;
  const child: ChildProcess = spawn(process.execPath, ['local/start.ts'], {
    cwd: service ?? root,
    env: {
      ...inherited,
      HTTP_PORT: String(httpPort),
      LAMBDA_PORT: String(lambdaPort),
      DYNAMODB_PORT: '0',
      ...(buildFolder ? { ESBUILD_WORK_FOLDER: buildFolder } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let isReady = false;
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // Searched until found only: every request logs, and the output grows with the run.
      if (!isReady && output.includes('Ready:')) {
        isReady = true;
        if (!keepOutput) {
          child.stdout?.off('data', onData).resume();
          child.stderr?.off('data', onData).resume();
        }
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the stack exited (${code}) before it was ready:\n${output}`)),
    );
  });
  await ready;
  return {
    pid: child.pid ?? 0,
    httpUrl: `http://localhost:${httpPort}`,
    lambdaUrl: `http://localhost:${lambdaPort}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      if (buildFolder) await rm(join(root, buildFolder), { recursive: true, force: true });
      return code;
    },
  };
};
