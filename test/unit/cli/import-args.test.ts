import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImportArgs, UsageError } from '../../../cli/import/args.ts';

const TOKEN = { QRADAR_SEC_TOKEN: '01234567-89ab-cdef-0123-456789abcdef' };
const parse = (args: string[], env: NodeJS.ProcessEnv = {}) => parseImportArgs(args, env);
const refusal = (args: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    parse(args, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('no UsageError');
};

describe('parseImportArgs', () => {
  it('takes one FILE, with or without --dry-run and --force', () => {
    expect(parse(['restores.json'])).toEqual({
      help: false,
      dryRun: false,
      force: false,
      source: { kind: 'file', path: 'restores.json' },
      target: {},
    });
    expect(parse(['--dry-run', 'r.ndjson'])).toMatchObject({ dryRun: true, source: { path: 'r.ndjson' } });
    expect(parse(['--force', 'r.ndjson'])).toMatchObject({ force: true, dryRun: false });
  });

  it('takes --from with QRADAR_SEC_TOKEN, asking for 26.0 in pages of 500 by default', () => {
    expect(parse(['--from', 'https://qradar.example.com'], TOKEN)).toEqual({
      help: false,
      dryRun: false,
      target: {},
      force: false,
      source: {
        kind: 'console',
        origin: 'https://qradar.example.com',
        auth: { sec: TOKEN.QRADAR_SEC_TOKEN },
        version: '26.0',
        pageSize: 500,
      },
    });
  });

  it('takes --from with --user, --ca, --api-version and --page-size', () => {
    expect(
      parse([
        '--from=https://10.0.0.5:8443/',
        '--user',
        'admin',
        '--ca',
        'console.pem',
        '--api-version',
        '20.0',
        '--page-size',
        '50',
      ]),
    ).toMatchObject({
      source: {
        kind: 'console',
        origin: 'https://10.0.0.5:8443',
        auth: { user: 'admin' },
        ca: 'console.pem',
        version: '20.0',
        pageSize: 50,
      },
    });
  });

  it('takes where to write: --local, or --stage with --region, and --table', () => {
    expect(parse(['--local', 'r.json'])).toMatchObject({ target: { local: true } });
    expect(parse(['--stage', 'prod', '--region', 'eu-west-1', '--table', 'mine', 'r.json'])).toMatchObject({
      target: { stage: 'prod', region: 'eu-west-1', table: 'mine' },
    });
    expect(parse(['--stage=dev', '--from', 'https://q.example'], TOKEN)).toMatchObject({
      target: { stage: 'dev' },
      source: { kind: 'console' },
    });
    expect(refusal(['--table', 'a b', 'r.json'])).toBe('not a DynamoDB table name: a b');
  });

  it('answers --help', () => {
    expect(parse(['--help'])).toEqual({ help: true });
    expect(parse(['-h', 'x', 'y'])).toEqual({ help: true });
  });

  it.each([
    [[], 'a FILE or --from is required'],
    [['a.json', 'b.json'], 'one FILE at a time'],
    [[''], 'the FILE name is empty'],
    [['--dry-run', '--dry-run', 'a.json'], '--dry-run is given twice'],
    [['--user', 'admin', 'a.json'], '--user goes with --from'],
    [['--ca', 'x.pem', 'a.json'], '--ca goes with --from'],
    [['--from', 'https://q.example', 'a.json'], 'a FILE or --from, not both'],
    [['--from', 'http://q.example'], '--from needs an https:// address: the console is read over TLS'],
    [['--from', 'q.example'], '--from is not an address: q.example'],
    [
      ['--from', 'https://admin:pw@q.example'],
      '--from must not hold credentials: use QRADAR_SEC_TOKEN or --user',
    ],
    [
      ['--from', 'https://q.example/api/backup_and_restore/restores'],
      "--from takes the console's address only, such as https://q.example",
    ],
    [
      ['--from', 'https://q.example'],
      '--from needs credentials: QRADAR_SEC_TOKEN in the environment, or --user NAME',
    ],
    [
      ['--from', 'https://q.example', '--user', 'a:b'],
      '--user must be a name without colons or control characters',
    ],
    [
      ['--from', 'https://q.example', '--user', 'a', '--api-version', 'latest'],
      '--api-version is not a version such as 26.0: latest',
    ],
    [
      ['--from', 'https://q.example', '--user', 'a', '--page-size', '0'],
      '--page-size must be a whole number from 1 to 10000: 0',
    ],
    [
      ['--from', 'https://q.example', '--user', 'a', '--page-size', '1e3'],
      '--page-size must be a whole number from 1 to 10000: 1e3',
    ],
    [['--bogus'], expect.stringContaining("Unknown option '--bogus'")],
    [['--from'], expect.stringContaining("Option '--from <value>' argument missing")],
  ])('refuses %j', (args, message) => {
    expect(refusal(args)).toEqual(message);
  });

  it('refuses QRADAR_SEC_TOKEN with --user, and a token a header cannot carry, without echoing it', () => {
    expect(refusal(['--from', 'https://q.example', '--user', 'admin'], TOKEN)).toBe(
      'both QRADAR_SEC_TOKEN and --user are set: use one',
    );
    const message = refusal(['--from', 'https://q.example'], { QRADAR_SEC_TOKEN: 'secret\r\nX-Evil: 1' });
    expect(message).toBe('QRADAR_SEC_TOKEN holds characters a header cannot carry');
  });

  it('answers any command line with arguments or a UsageError, never another throw', () => {
    const word = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '--dry-run',
        '--from',
        '--user',
        '--ca',
        '--api-version',
        '--page-size',
        '--local',
        '--stage',
        '--region',
        '--table',
        '-h',
        '--',
        '-',
      ),
      fc.constantFrom('https://q.example', 'http://x', 'a.json', '26.0', '500', 'admin'),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), fc.option(fc.string()), (args, token) => {
        try {
          parse(args, token === null ? {} : { QRADAR_SEC_TOKEN: token });
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
