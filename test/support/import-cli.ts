// `npm run import` and `npm run sync` as a user runs them: a child process, its output and its exit code.

import { spawn } from 'node:child_process';

export interface ImportRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs cli/import.ts with `args`; `env` adds to the test's environment; `input` is its stdin. */
export const runImport = (
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input = '',
): Promise<ImportRun> => runScript('cli/import.ts', args, env, input);

/** Runs cli/sync.ts, as runImport runs the import. */
export const runSync = (
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input = '',
): Promise<ImportRun> => runScript('cli/sync.ts', args, env, input);

const runScript = (
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: string,
): Promise<ImportRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });

/** A stack trace's frame line: what the import must never print. */
export const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
