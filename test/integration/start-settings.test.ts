// `npm start` checks its settings before it starts anything: a bad one is answered with the
// reason and the usage line, exit code 2, and no stack trace.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort, root } from '../../local/harness/local-stack.ts';

// Free ports under every setting not tested: should one be taken, no default port is bound.
const start = async (env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['local/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HTTP_PORT: String(await freePort()),
      LAMBDA_PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      ...env,
    },
    timeout: 20_000,
  }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );

describe('npm start settings', () => {
  it.each([
    [{ HTTP_PORT: 'abc' }, 'HTTP_PORT is not a port: abc'],
    [{ LAMBDA_PORT: '70000' }, 'LAMBDA_PORT is not a port: 70000'],
    [{ DYNAMODB_PORT: '-1' }, 'DYNAMODB_PORT is not a port: -1'],
    [{ DYNAMODB_ENDPOINT: 'not a url' }, 'DYNAMODB_ENDPOINT is not an http(s) URL'],
    [{ RESTORES_TABLE: 'a b' }, 'RESTORES_TABLE is not a DynamoDB table name: a b'],
    [{ AUTHORIZED_SERVICES_TABLE: 'x' }, 'AUTHORIZED_SERVICES_TABLE is not a DynamoDB table name'],
    [
      { QRADAR_CONSOLE_URL: 'https://qradar.example.com', QRADAR_SEC_TOKEN: '' },
      'QRADAR_CONSOLE_URL is set: set QRADAR_SEC_TOKEN to its token too',
    ],
  ])('refuses %j', async (env, reason) => {
    const { code, stderr } = await start(env);
    expect(code).toBe(2);
    expect(stderr).toContain(reason);
    expect(stderr).toContain('usage: ');
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});
