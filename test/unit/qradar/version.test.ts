import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import {
  callableVersions,
  readVersionTable,
  resolveVersion,
  type VersionTable,
  versionTableFrom,
} from '../../../lib/qradar/version.ts';
import bundled from '../../../lib/qradar/versions.json' with { type: 'json' };
import { qradarErrorOf } from '../../support/thrown.ts';

const table = versionTableFrom({});
const resolve = (raw: string | undefined) => resolveVersion(raw, table);
const failure = (raw: string) => qradarErrorOf(() => resolve(raw));

const DEPRECATED = [
  '12.0',
  '12.1',
  '13.0',
  '13.1',
  '14.0',
  '15.0',
  '16.0',
  '17.0',
  '18.0',
  '19.0',
  '20.0',
  '21.0',
  '22.0',
  '23.0',
];
const CURRENT = ['24.0', '25.0', '26.0'];

/** [major, minor] of a table version, as numbers (the table's are small). */
const parts = (version: string): [number, number] => {
  const [major = '', minor = ''] = version.split('.');
  return [Number(major), Number(minor)];
};
const atMost = (a: string, b: string): boolean => {
  const [am, an] = parts(a);
  const [bm, bn] = parts(b);
  return am < bm || (am === bm && an <= bn);
};

describe('the bundled table (QRadar 7.5.0 UP13, API 26.0)', () => {
  it('has 24.0 to 26.0 current and 12.0 to 23.0 deprecated, ascending', () => {
    expect(callableVersions(table)).toEqual([
      ...DEPRECATED.map((version) => ({ version, deprecated: true })),
      ...CURRENT.map((version) => ({ version, deprecated: false })),
    ]);
  });

  it('stays small: the restore function bundles it', () => {
    expect(JSON.stringify(bundled).length).toBeLessThan(300);
  });
});

describe('resolveVersion', () => {
  it('answers the latest when there is no header', () => {
    expect(resolve(undefined)).toEqual({ version: '26.0', deprecated: false });
  });

  it.each([
    ['26.0', '26.0', false],
    ['24.0', '24.0', false],
    ['23.0', '23.0', true],
    ['12.0', '12.0', true],
    ['13.1', '13.1', true],
  ])('answers the known version %s as itself', (raw, version, deprecated) => {
    expect(resolve(raw)).toEqual({ version, deprecated });
  });

  it.each([
    ['13', '13.1'],
    ['12', '12.1'],
    ['26', '26.0'],
    ['20', '20.0'],
    ['013', '13.1'],
  ])('reads the major %s alone as its latest minor, %s', (raw, version) => {
    expect(resolve(raw).version).toBe(version);
  });

  it.each([
    ['13.5', '13.1'],
    ['12.05', '12.1'],
    ['12.5', '12.1'],
    ['14.9', '14.0'],
    ['23.99', '23.0'],
    ['25.1', '25.0'],
    ['12.99999999999999999999999', '12.1'],
  ])('resolves %s down to the nearest lower known version, %s', (raw, version) => {
    expect(resolve(raw).version).toBe(version);
  });

  it('compares major and minor as integers, leading zeros included', () => {
    expect(resolve('0026.000')).toEqual({ version: '26.0', deprecated: false });
    expect(resolve('12.01').version).toBe('12.1');
    expect(resolve('12.10').version).toBe('12.1');
    expect(resolve('13.01').version).toBe('13.1');
  });

  it.each([
    [' 26.0', '26.0'],
    ['26.0 ', '26.0'],
    ['\t13.1\t', '13.1'],
    ['  25  ', '25.0'],
  ])('ignores spaces and tabs around %j', (raw, version) => {
    expect(resolve(raw).version).toBe(version);
  });

  it.each([
    '26.5',
    '26.1',
    '27',
    '27.0',
    '100',
    '99999999999999999999',
    '99999999999999999999.0',
    '26.99999999999999999999',
  ])('refuses %s, above the latest, with code 3', (raw) => {
    const error = failure(raw);
    expect(error.status).toBe(422);
    expect(error.code).toBe(3);
    expect(error.message).toBe(
      `Version (${raw}) from header parameter (Version) is not a valid version. Please refer to documentation for list of valid versions.`,
    );
  });

  it.each(['', ' ', '\t', ' \t  '])('answers the empty or blank %j as no header: the latest', (raw) => {
    expect(resolve(raw)).toEqual(resolve(undefined));
    expect(resolve(raw)).toEqual({ version: '26.0', deprecated: false });
  });

  it.each([
    '\u00a0',
    '26.0, 25.0',
    '26.0,25.0',
    'v26',
    '26.',
    '.5',
    '26.0.1',
    '-1',
    '+26',
    '1e1',
    '26,0',
    '2 6',
    '\n26.0',
    '26.0\n',
    '٢٦',
    '２６',
    'latest',
  ])('refuses the malformed %j with code 3', (raw) => {
    expect(failure(raw)).toMatchObject({ status: 422, code: 3 });
  });

  it.each(['11', '11.9', '1', '0', '0.0', '7.5', '011.99999'])(
    'answers %s, a major below 12, as removed with code 2',
    (raw) => {
      const error = failure(raw);
      expect(error.status).toBe(422);
      expect(error.code).toBe(2);
      expect(error.message).toBe(
        `Version (${raw}) from header parameter (Version) has been removed and is no longer valid. Please refer to documentation for list of valid versions.`,
      );
    },
  );

  it('echoes at most 100 characters of the value as sent', () => {
    const raw = `  ${'9'.repeat(300)}`;
    expect(failure(raw).message).toContain(`Version (${raw.slice(0, 100)}) from`);
  });

  it('answers a version below the lowest of a table as removed, even within its major', () => {
    const from121 = readVersionTable({ current: ['13.0'], deprecated: ['12.1'] });
    expect(qradarErrorOf(() => resolveVersion('12.0', from121)).code).toBe(2);
    expect(resolveVersion('12', from121).version).toBe('12.1');
    expect(resolveVersion('12.2', from121)).toEqual({ version: '12.1', deprecated: true });
  });

  it('reaches the latest below a major that has no version of its own', () => {
    const gap = readVersionTable({ current: ['20.0', '16.2'], deprecated: [] });
    expect(resolveVersion('18', gap).version).toBe('16.2');
    expect(resolveVersion('16', gap).version).toBe('16.2');
    expect(qradarErrorOf(() => resolveVersion('15', gap)).code).toBe(2);
  });
});

describe('resolveVersion, properties', () => {
  const digits = fc.stringMatching(/^[0-9]{1,25}$/);
  const wellFormed = fc.oneof(
    digits,
    fc.tuple(digits, digits).map(([major, minor]) => `${major}.${minor}`),
    // Mostly around the table, where the interesting answers are.
    fc
      .tuple(fc.integer({ min: 0, max: 30 }), fc.option(fc.integer({ min: 0, max: 12 })))
      .map(([major, minor]) => (minor === null ? `${major}` : `${major}.${minor}`)),
  );

  /** The integers of a well-formed request; a major alone has no minor. */
  const value = (raw: string): [bigint, bigint | undefined] => {
    const [major = '', minor] = raw.trim().split('.');
    return [BigInt(major), minor === undefined ? undefined : BigInt(minor)];
  };
  /** a ≤ b, where a major alone in b stands for every minor of that major. */
  const notAbove = ([am, an]: [bigint, bigint | undefined], [bm, bn]: [bigint, bigint | undefined]) =>
    am < bm || (am === bm && (bn === undefined || (an !== undefined && an <= bn)));

  it('answers any string with a version or code 2 or 3, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), wellFormed), (raw) => {
        try {
          const resolved = resolve(raw);
          expect(callableVersions(table)).toContainEqual(resolved);
        } catch (error) {
          expect(error).toBeInstanceOf(QRadarError);
          expect([2, 3]).toContain((error as QRadarError).code);
        }
      }),
    );
  });

  it('resolves to a callable version no later than the one asked for, with the right errors', () => {
    fc.assert(
      fc.property(wellFormed, (raw) => {
        const asked = value(raw);
        const [major, minor] = asked;
        const aboveLatest = major > 26n || (major === 26n && minor !== undefined && minor > 0n);
        if (aboveLatest) {
          expect(failure(raw).code).toBe(3);
          return;
        }
        if (major < 12n) {
          expect(failure(raw).code).toBe(2);
          return;
        }
        const { version } = resolve(raw);
        expect(notAbove(value(version), asked)).toBe(true);
        // Nothing callable lies strictly between the answer and the request.
        for (const { version: other } of callableVersions(table)) {
          if (notAbove(value(other), asked)) expect(atMost(other, version)).toBe(true);
        }
      }),
    );
  });

  it('is monotonic: a later request never resolves to an earlier version', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, (a, b) => {
        const [low, high] = notAbove(value(a), value(b)) ? [a, b] : [b, a];
        let lowVersion: string;
        let highVersion: string;
        try {
          lowVersion = resolve(low).version;
          highVersion = resolve(high).version;
        } catch {
          return;
        }
        expect(atMost(lowVersion, highVersion)).toBe(true);
      }),
    );
  });

  it('reads spaces and tabs around a version as nothing', () => {
    const blanks = fc.stringMatching(/^[ \t]{0,3}$/);
    fc.assert(
      fc.property(blanks, wellFormed, blanks, (before, raw, after) => {
        const outcome = (value: string) => {
          try {
            return resolve(value);
          } catch (error) {
            return (error as QRadarError).code;
          }
        };
        expect(outcome(`${before}${raw}${after}`)).toEqual(outcome(raw));
      }),
    );
  });
});

describe('readVersionTable', () => {
  it('sorts the versions, whatever the order they are written in', () => {
    const mixed: VersionTable = readVersionTable({ current: ['3.0', '2.10'], deprecated: ['2.9', '1.0'] });
    expect(callableVersions(mixed).map(({ version }) => version)).toEqual(['1.0', '2.9', '2.10', '3.0']);
  });

  it.each([
    [null, /not a JSON object/],
    [[], /not a JSON object/],
    ['26.0', /not a JSON object/],
    [{ current: ['26.0'] }, /"deprecated" is not a list/],
    [{ current: '26.0', deprecated: [] }, /"current" is not a list/],
    [{ current: ['26.0'], deprecated: [], removed: ['11.0'] }, /unknown key "removed"/],
    [{ current: [26], deprecated: [] }, /"current" has 26, not a version written MAJOR.MINOR/],
    [{ current: ['26'], deprecated: [] }, /"current" has "26"/],
    [{ current: ['26.00'], deprecated: [] }, /"current" has "26.00"/],
    [{ current: ['026.0'], deprecated: [] }, /"current" has "026.0"/],
    [{ current: [' 26.0'], deprecated: [] }, /"current" has " 26.0"/],
    [{ current: ['26.0'], deprecated: ['26.0'] }, /lists 26.0 twice/],
    [{ current: [], deprecated: [] }, /lists no version/],
  ])('refuses %j', (json, problem) => {
    expect(() => readVersionTable(json)).toThrow(problem);
  });
});

describe('versionTableFrom', () => {
  it('takes the bundled table when API_VERSIONS is unset or empty', () => {
    expect(versionTableFrom({ API_VERSIONS: '' })).toEqual(table);
    expect(table.versions).toHaveLength(17);
  });

  it('takes API_VERSIONS when set', () => {
    const own = versionTableFrom({ API_VERSIONS: '{"current":["20.0"],"deprecated":["19.0"]}' });
    expect(resolveVersion(undefined, own)).toEqual({ version: '20.0', deprecated: false });
    expect(resolveVersion('19', own)).toEqual({ version: '19.0', deprecated: true });
    expect(qradarErrorOf(() => resolveVersion('21', own)).code).toBe(3);
    expect(qradarErrorOf(() => resolveVersion('18.9', own)).code).toBe(2);
  });

  it('fails the cold start with a plain Error naming the variable', () => {
    expect(() => versionTableFrom({ API_VERSIONS: '{current' })).toThrow(/^API_VERSIONS is not JSON$/);
    expect(() => versionTableFrom({ API_VERSIONS: '{"current":[]}' })).toThrow(
      /^API_VERSIONS: the version table's "deprecated" is not a list$/,
    );
    const thrown = (() => {
      try {
        versionTableFrom({ API_VERSIONS: '[]' });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(QRadarError);
  });
});
