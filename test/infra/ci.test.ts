// The GitHub Actions workflow and .ci/run: what they run, in which order, with which rights.

import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push: { branches: string[]; tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

let text: string;
let workflow: Workflow;

beforeAll(async () => {
  text = await readFile(new URL('../../.github/workflows/ci.yml', import.meta.url), 'utf8');
  workflow = load(text) as Workflow;
});

const job = (name: string): Job => {
  const found = workflow.jobs[name];
  if (found === undefined) throw new Error(`no job ${name}`);
  return found;
};
/** Each command a job runs, one per line, in order. */
const commands = (name: string): string[] =>
  job(name).steps.flatMap((s) =>
    (s.run ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
const uses = (name: string, action: string): Step | undefined =>
  job(name).steps.find((s) => s.uses?.startsWith(`${action}@`));

describe('.github/workflows/ci.yml', () => {
  it('runs on every push to any branch, and on v* tags', () => {
    expect(workflow.on).toEqual({ push: { branches: ['**'], tags: ['v*'] } });
    expect(Object.keys(workflow.jobs).sort()).toEqual(['check', 'deploy-prod']);
  });

  it('lints, tests with cfn-lint installed, then packages both stages, on every push', () => {
    const check = commands('check');
    expect(job('check').if).toBeUndefined();
    const at = (command: string) => {
      const index = check.indexOf(command);
      expect(index, command).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(at('npm ci --no-audit --no-fund')).toBeLessThan(at('npm run lint'));
    expect(at('npm run lint')).toBeLessThan(at('npm test'));
    expect(at('pip install cfn-lint==1.51.0')).toBeLessThan(at('npm test'));
    expect(at('npm test')).toBeLessThan(at('npx sls package --stage dev --package artifacts/dev'));
    expect(at('npm test')).toBeLessThan(at('npx sls package --stage prod --package artifacts/prod'));
    expect(uses('check', 'actions/setup-node')?.with?.['node-version']).toBe(24);
    expect(uses('check', 'actions/upload-artifact')?.with?.['path']).toBe('artifacts/');
  });

  it('deploys prod on a v* tag only, after the checks, the tested package', () => {
    const deploy = job('deploy-prod');
    expect(deploy.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(deploy.needs).toBe('check');
    expect(deploy.environment).toBe('prod');
    expect(uses('deploy-prod', 'actions/download-artifact')?.with?.['name']).toBe(
      uses('check', 'actions/upload-artifact')?.with?.['name'],
    );
    expect(commands('deploy-prod').filter((c) => c.includes('sls'))).toEqual([
      'npx sls deploy --stage prod --package artifacts/prod',
    ]);
  });

  it('assumes an IAM role through OIDC, and keeps no AWS keys', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(job('check').permissions).toBeUndefined();
    expect(job('deploy-prod').permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const credentials = uses('deploy-prod', 'aws-actions/configure-aws-credentials');
    expect(credentials?.with).toMatchObject({
      // A variable of the prod environment: the role's ARN, no secret.
      'role-to-assume': expect.stringMatching(/^\$\{\{ vars\.AWS_DEPLOY_ROLE_ARN \}\}$/),
      'aws-region': 'us-east-1',
    });
    // Credentials come in the configure step only, after the code and packages are in place.
    const steps = job('deploy-prod').steps;
    expect(steps.indexOf(credentials as Step)).toBe(steps.length - 2);
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET|secrets\./i);
  });
});

/** Runs a copy of .ci/run with `npm` stubbed: records each call, fails `npm run lint` on request. */
const runCi = async (lint: 'passes' | 'fails') => {
  const dir = await mkdtemp(join(tmpdir(), 'ci-run-'));
  await mkdir(join(dir, '.ci'));
  await mkdir(join(dir, 'bin'));
  await mkdir(join(dir, 'test/artifacts'), { recursive: true });
  await copyFile(new URL('../../.ci/run', import.meta.url), join(dir, '.ci/run'));
  await mkdir(join(dir, 'scripts'));
  await writeFile(join(dir, 'scripts/ensure-chromium.sh'), 'exit 0\n');
  // An earlier run's report, which must not be taken for this run's.
  await writeFile(join(dir, 'test/artifacts/vitest.json'), report(99, 0));
  await writeFile(
    join(dir, 'bin/npm'),
    `#!/usr/bin/env bash
echo "$*" >> "${join(dir, 'calls')}"
case "$*" in
  "run lint") exit ${lint === 'passes' ? 0 : 1} ;;
  test) echo '${report(3, 1)}' > test/artifacts/vitest.json; exit 1 ;;
esac
`,
  );
  // cfn-lint present, so .ci/run never reaches for pip.
  await writeFile(join(dir, 'bin/cfn-lint'), '#!/bin/sh\nexit 0\n');
  for (const tool of ['npm', 'cfn-lint']) await chmod(join(dir, 'bin', tool), 0o755);
  const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    execFile(
      'bash',
      [join(dir, '.ci/run')],
      { env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH']}` } },
      (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
    );
  });
  const calls = (await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n');
  return { ...result, calls };
};
const report = (passed: number, failed: number) =>
  JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: 0, numTodoTests: 0 });

describe('.ci/run', () => {
  it('runs the linter before the tests, and the summary line reports the tests', async () => {
    const { code, stdout, calls } = await runCi('passes');
    expect(calls).toEqual(['ci --no-audit --no-fund', 'run lint', 'test']);
    expect(stdout.trim().split('\n').at(-1)).toBe('vitest: 3 passed, 1 failed');
    expect(code).toBe(1);
  });

  it('stops at a failing lint, runs no test, and reports a failure, not an earlier report', async () => {
    const { code, stdout, calls } = await runCi('fails');
    expect(calls).toEqual(['ci --no-audit --no-fund', 'run lint']);
    expect(stdout.trim().split('\n').at(-1)).toBe('vitest: 0 passed, 1 failed');
    expect(code).not.toBe(0);
  });
});
