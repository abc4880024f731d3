// Lambda's own runtime interface client (aws-lambda-ric), for the test that boots each packaged
// function as AWS runs it (test/e2e/runtime.test.ts). Its npm package ships no binary: its
// install compiles curl and aws-lambda-cpp (cmake, make, a C/C++ compiler) and a Node-API addon
// (node-gyp, python3), about two minutes on two cores. So it is built once per lockfile into
// test/artifacts, outside node_modules: `npm ci` (a deploy's too) does not pay for it, and does
// not wipe it. `npm test` builds it first (pretest); the test builds it too when run alone.
// The build tools missing, it installs them where it may (root, apt-get), saying which and why
// first; otherwise it says what to install, and the pretest carries on: the runtime test then
// fails with the same words, and every other test runs.
//
// `npm run pretest` builds it unless built (and checks for Chromium); silent when both are there.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
/** package.json and package-lock.json that pin the client and everything its build uses. */
const manifest = join(root, 'test/runtime-client');
const cache = join(root, 'test/artifacts/aws-lambda-ric');

/** The tools its install scripts call, and the Debian package that brings each. */
const BUILD_TOOLS: Readonly<Record<string, string>> = {
  cmake: 'cmake',
  make: 'make',
  cc: 'gcc',
  'c++': 'g++',
  python3: 'python3',
  xz: 'xz-utils',
};

const has = async (command: string): Promise<boolean> => {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
};

/** A tool the build needs and this user cannot install: one line, no stack trace. */
export class MissingPrerequisite extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingPrerequisite';
    this.stack = `${this.name}: ${message}`;
  }
}

/** Installs missing build tools where we may (root with apt-get); otherwise says what is missing. */
const ensureBuildTools = async (): Promise<void> => {
  const missing: string[] = [];
  for (const [command, pkg] of Object.entries(BUILD_TOOLS)) if (!(await has(command))) missing.push(pkg);
  if (missing.length === 0) return;
  const why =
    'The runtime test (test/e2e/runtime.test.ts) runs each function under aws-lambda-ric, ' +
    `Lambda's runtime interface client, which builds from source and needs ${missing.join(', ')}`;
  if (process.getuid?.() === 0 && (await has('apt-get'))) {
    console.log(`${why}: installing ${missing.join(' ')} with apt-get (once)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    console.log(`Installed ${missing.join(', ')}.`);
    return;
  }
  throw new MissingPrerequisite(`${why}: install them (sudo apt-get install ${missing.join(' ')}).`);
};

/**
 * Node's headers for node-gyp: those of the `node` devDependency (the Node the tests run), as
 * node-gyp cannot download any here. The addon uses Node-API, so it loads in any later Node.
 */
const nodeHeaders = (): string => {
  const nodePackage = createRequire(import.meta.url).resolve('node/package.json');
  const platformPackage = createRequire(nodePackage).resolve(
    `node-${process.platform}-${process.arch}/package.json`,
  );
  const headers = dirname(platformPackage);
  if (!existsSync(join(headers, 'include/node/node_api.h')))
    throw new Error(`No Node headers in ${headers}: run npm ci.`);
  return headers;
};

/** The folder of one build: a new lockfile, platform or architecture builds anew. */
const buildFolder = async (): Promise<string> => {
  const lock = await readFile(join(manifest, 'package-lock.json'));
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 12);
  return join(cache, `${key}-${process.platform}-${process.arch}`);
};

const entryIn = (folder: string): string => join(folder, 'node_modules/aws-lambda-ric/index.mjs');
const built = (folder: string): boolean =>
  existsSync(join(folder, 'node_modules/aws-lambda-ric/rapid-client.node'));

/**
 * The client's entry point (index.mjs), built first unless it is. The build goes to a folder
 * of its own and is renamed into place, so a build that failed or was stopped never counts.
 */
export const ensureRuntimeClient = async (): Promise<string> => {
  const folder = await buildFolder();
  if (built(folder)) return entryIn(folder);
  await ensureBuildTools();
  await mkdir(cache, { recursive: true });
  const work = await mkdtemp(join(cache, '.build-'));
  const logFile = join(cache, 'build.log');
  console.log('Building aws-lambda-ric from source for the runtime test (once, about 2 minutes)...');
  const started = Date.now();
  try {
    for (const file of ['package.json', 'package-lock.json'])
      await copyFile(join(manifest, file), join(work, file));
    const { stdout, stderr } = await run('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts'], {
      cwd: work,
      // The Node of this process (the devDependency under npm scripts) runs npm and node-gyp.
      env: {
        ...process.env,
        PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
        npm_config_nodedir: nodeHeaders(),
      },
      maxBuffer: 256 * 1024 * 1024,
    }).catch(async (error: { stdout?: string; stderr?: string }) => {
      await writeFile(logFile, `${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      throw new Error(`Building aws-lambda-ric failed; its output is in ${logFile}`, { cause: error });
    });
    await writeFile(logFile, `${stdout}\n${stderr}`);
    if (!built(work)) throw new Error(`aws-lambda-ric installed without its addon; see ${logFile}`);
    try {
      await rename(work, folder);
    } catch (error) {
      // Another run built it meanwhile: use that one.
      if (!built(folder)) throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(`Built aws-lambda-ric in ${Math.round((Date.now() - started) / 1000)} s: ${folder}`);
  return entryIn(folder);
};

if (import.meta.main) {
  try {
    await ensureRuntimeClient();
  } catch (error) {
    if (!(error instanceof MissingPrerequisite)) throw error;
    console.error(`${error.message}\nUntil then that test fails with this message. Going on with the rest.`);
  }
}
