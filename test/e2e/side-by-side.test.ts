// The README's commands side by side in one checkout: `npm start` keeps answering while
// `npm run package` builds and cleans up beside it and `npm test`'s pretest writes a tree of
// files (aws-lambda-ric's build) into test/artifacts/. Run in a copy of the service, so the
// stack and the package use their own default build folders, as in a person's checkout,
// without touching this repository's.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/harness/local-stack.ts';
import { copyOfService } from '../support/package.ts';

const SEC = { SEC: 'local-dev-token' };
let work: string;
let service: string;
let stack: LocalStack | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'side-by-side-'));
  service = join(work, 'service');
  await copyOfService(service);
  stack = await startLocalStack({}, process.env, { service });
});
afterAll(async () => {
  await stack?.stop();
  await rm(work, { recursive: true, force: true });
});

/** `npm run package` in the service's folder, its output in a folder of the test's. */
const packageBeside = async (into: string): Promise<void> => {
  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  // Packaging needs no credentials: none, and no ~/.aws.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|ESBUILD_WORK_FOLDER$)/.test(name)),
  );
  await promisify(execFile)(process.execPath, [serverless, 'package', '--package', into], {
    cwd: service,
    env: { ...env, HOME: work },
  });
};

/** What aws-lambda-ric's build does to test/artifacts/: thousands of new .js and .ts files. */
const churn = async (files: number): Promise<void> => {
  const folder = join(service, 'test/artifacts/aws-lambda-ric/churn');
  for (let i = 0; i < files; i += 100) {
    const batch = join(folder, `pkg-${i / 100}`);
    await mkdir(batch, { recursive: true });
    await Promise.all(
      Array.from({ length: 100 }, (_, j) =>
        writeFile(join(batch, `f${j}.${j % 2 ? 'ts' : 'js'}`), `export const x${j} = ${i + j};\n`),
      ),
    );
  }
};

/** The files and folders `pid` watches: the inotify watches its descriptors hold. */
const watches = async (pid: number): Promise<number> => {
  let count = 0;
  for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    count += info.match(/^inotify wd:/gm)?.length ?? 0;
  }
  return count;
};

/** Reads restore 1 through the edge, `parallel` at a time; a failure's status and text. */
const read = async (parallel: number, path = '/api/backup_and_restore/restores/1'): Promise<string[]> => {
  const answers = await Promise.all(
    Array.from({ length: parallel }, () =>
      fetch(`${stack?.httpUrl}${path}`, { headers: SEC }).then(async (response) => ({
        status: response.status,
        text: await response.text(),
      })),
    ),
  );
  return answers.filter(({ status }) => status !== 200).map(({ status, text }) => `${status} ${text}`);
};

describe('npm start beside npm run package and a runtime client build', () => {
  it('keeps answering throughout, and rebuilds nothing for files other commands write', async () => {
    const [offline] = (await readFile(`/proc/${stack?.pid}/task/${stack?.pid}/children`, 'utf8'))
      .trim()
      .split(' ')
      .map(Number);
    if (!offline) throw new Error('the runner started no serverless offline');

    const failures: string[] = [];
    let reads = 0;
    let busy = true;
    const reading = (async () => {
      while (busy) {
        failures.push(...(await read(3)));
        reads += 3;
        await sleep(50);
      }
    })();
    const packaged = join(work, 'package');
    await Promise.all([packageBeside(packaged), churn(3000)]);
    busy = false;
    await reading;

    // After the package has cleaned up its own folder: more at once than before (a fresh
    // instance of the function loads its bundle again) and a function not loaded yet.
    failures.push(...(await read(8)), ...(await read(2, '/api/help/versions')));
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    expect((await readdir(packaged)).filter((file) => file.endsWith('.zip')).sort()).toEqual([
      'api.zip',
      'apiDoc.zip',
      'getRestore.zip',
      'listRestores.zip',
      'publishStatusChanges.zip',
      'restoreWatcher.zip',
    ]);
    // The package's folder is gone, the stack's is still there; serverless offline watches
    // nothing, so nothing another command writes sets off a rebuild.
    expect(existsSync(join(service, '.esbuild'))).toBe(false);
    expect(existsSync(join(service, '.esbuild-offline/.build/handlers/getRestore.mjs'))).toBe(true);
    expect(await watches(offline)).toBe(0);
    expect(stack?.output()).not.toMatch(/Cannot find module|Bundle error|Unhandled exception/);
  }, 240_000);
});
