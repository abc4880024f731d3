// `npm start` itself, as a process manager, an IDE's stop button or a container runtime runs
// it: a signal to npm's own process alone (not to its process group, as a terminal's Ctrl-C
// sends), or npm killed outright, must stop every process the stack started and free every
// port.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, portClosed, root, workFolder } from '../../local/harness/local-stack.ts';

/** Every process below `pid`, whatever its process group, read from /proc. */
const descendants = async (pid: number): Promise<number[]> => {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces and brackets, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const below = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents)
      if (below.has(parent) && !below.has(child)) grew = below.add(child) !== undefined;
  }
  below.delete(pid);
  return [...below];
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let npm: ChildProcess | undefined;
let buildFolder = '';
afterEach(async () => {
  if (npm?.pid !== undefined && alive(npm.pid)) npm.kill('SIGKILL');
  await rm(join(root, buildFolder), { recursive: true, force: true });
});

/** `npm start` on free ports, resolved once it prints its ready line. */
const npmStart = async () => {
  const ports = {
    HTTP_PORT: await freePort(),
    LAMBDA_PORT: await freePort(),
    DYNAMODB_PORT: await freePort(),
  };
  buildFolder = workFolder();
  npm = spawn('npm', ['start'], {
    cwd: root,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      ESBUILD_WORK_FOLDER: buildFolder,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready:')) resolve();
    };
    npm?.stdout?.on('data', onData);
    npm?.stderr?.on('data', onData);
    npm?.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)),
    );
  });
  const pid = npm.pid ?? 0;
  return { pid, ports: Object.values(ports), tree: await descendants(pid), exited: once(npm, 'exit') };
};

/** Waits up to `ms` for every pid to be gone; returns those still there. */
const survivors = async (pids: number[], ms: number): Promise<number[]> => {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(100))
    if (!pids.some(alive)) return [];
  return pids.filter(alive);
};

/** The process among `pids` whose command line names `script`. */
const running = async (pids: number[], script: string): Promise<number> => {
  for (const pid of pids) {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (command.split('\0').includes(script)) return pid;
  }
  throw new Error(`no ${script} among ${pids.join(', ')}`);
};

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'stops everything it started when npm alone gets %s',
    async (signal) => {
      const { pid, ports, tree, exited } = await npmStart();
      // npm, the runner, serverless offline and esbuild's service at least.
      expect(tree.length).toBeGreaterThanOrEqual(3);
      for (const port of ports) expect(await portClosed(port)).toBe(false);

      process.kill(pid, signal);
      await exited;
      expect(await survivors(tree, 15_000)).toEqual([]);
      for (const port of ports) expect(await portClosed(port)).toBe(true);
    },
    90_000,
  );

  it('stops everything when the runner itself is killed outright (kill -9 of local/start.ts)', async () => {
    const { ports, tree, exited } = await npmStart();
    // dynalite and the edge live in the runner and go with it; serverless offline, in a
    // process group of its own, has to notice that its parent has gone.
    process.kill(await running(tree, 'local/start.ts'), 'SIGKILL');
    await exited;
    expect(await survivors(tree, 15_000)).toEqual([]);
    for (const port of ports) expect(await portClosed(port)).toBe(true);
  }, 90_000);
});
