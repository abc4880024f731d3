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
  env?: Record<string, string>;
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
    expect(at('npm test')).toBeLessThan(
      at(`npx sls package --stage prod --package artifacts/prod "\${prod[@]}"`),
    );
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

  it('pins every action to a full commit, with its release tag beside it', () => {
    const lines = text.split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(8);
    const pinned = new Map<string, string>();
    for (const line of lines) {
      const [, action, sha] =
        /^\s*- uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(line) ?? [];
      expect(action, line).toBeDefined();
      // One version of an action in the whole workflow.
      expect(pinned.get(String(action)) ?? sha, line).toBe(sha);
      pinned.set(String(action), String(sha));
    }
    // Artifacts move between the jobs: both ends on the artifact service of v4 and later.
    const major = (action: string) =>
      Number(/# v(\d+)/.exec(lines.find((l) => l.includes(action)) ?? '')?.[1]);
    expect(major('actions/upload-artifact')).toBeGreaterThanOrEqual(4);
    expect(major('actions/download-artifact')).toBeGreaterThanOrEqual(4);
  });

  it('packages prod only with an alarm address, from a repository variable, and says which when it is missing', async () => {
    const missing = await runPackageStep({});
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(
      /ALARM_EMAIL: set the repository variable ALARM_EMAIL to the address prod alarms go to/,
    );
    expect(missing.calls).toEqual(['sls package --stage dev --package artifacts/dev']);

    const plain = await runPackageStep({ ALARM_EMAIL: 'oncall@example.org' });
    expect(plain.code).toBe(0);
    expect(plain.calls).toEqual([
      'sls package --stage dev --package artifacts/dev',
      'sls package --stage prod --package artifacts/prod --param alarmEmail=oncall@example.org',
    ]);

    const everything = await runPackageStep({
      ALARM_EMAIL: 'oncall@example.org',
      DOMAIN_NAME: 'restores.example.org',
      CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      HOSTED_ZONE_ID: 'Z123',
      PERMISSIONS_BOUNDARY_ARN: 'arn:aws:iam::123456789012:policy/b',
    });
    expect(everything.calls[1]).toBe(
      'sls package --stage prod --package artifacts/prod --param alarmEmail=oncall@example.org' +
        ' --param domainName=restores.example.org --param certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/abc' +
        ' --param hostedZoneId=Z123 --param permissionsBoundaryArn=arn:aws:iam::123456789012:policy/b',
    );
    // Every variable the step reads comes from the repository's variables, none from secrets.
    const step = job('check').steps.find((s) => s.run?.includes('--stage prod'));
    for (const value of Object.values(step?.env ?? {}))
      expect(String(value)).toMatch(/^\$\{\{ vars\.[A-Z_]+ \}\}$/);
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

/**
 * Runs the check job's packaging step as GitHub runs a `run:` (bash -eo pipefail) with the
 * given repository variables, `npx` stubbed to record each call.
 */
const runPackageStep = async (variables: Record<string, string>) => {
  const step = job('check').steps.find((s) => s.run?.includes('--stage prod'));
  if (step?.run === undefined) throw new Error('no packaging step');
  const dir = await mkdtemp(join(tmpdir(), 'ci-package-'));
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin/npx'), `#!/usr/bin/env bash\necho "$*" >> "${join(dir, 'calls')}"\n`);
  await chmod(join(dir, 'bin/npx'), 0o755);
  await writeFile(join(dir, 'calls'), '');
  const { PATH } = process.env;
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string],
      { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${PATH}`, ...variables } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
    );
  });
  const calls = (await readFile(join(dir, 'calls'), 'utf8')).split('\n').filter(Boolean);
  return { ...result, calls };
};

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
