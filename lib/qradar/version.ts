// QRadar's `Version` request header (contract 11.1). The table of versions is data
// (lib/qradar/versions.json, mirroring QRadar 7.5.0 Update Package 13, API 26.0), replaceable at
// deployment through API_VERSIONS, and checked once at cold start.

import { versionInvalid, versionRemoved } from './errors.ts';
import { compareDigits, withoutBlanks, withoutLeadingZeros } from './text.ts';
import bundled from './versions.json' with { type: 'json' };

export interface TableVersion {
  /** As written in the table: MAJOR.MINOR, e.g. "13.1". */
  readonly version: string;
  readonly deprecated: boolean;
  /** Decimal digits without leading zeros, compared as integers of any size. */
  readonly major: string;
  readonly minor: string;
}

export interface VersionTable {
  /** Every callable version, ascending; never empty. */
  readonly versions: readonly TableVersion[];
}

export interface ResolvedVersion {
  /** A version of the table, e.g. "13.1". */
  readonly version: string;
  readonly deprecated: boolean;
}

// The table writes versions canonically; nine digits each is far beyond any QRadar version.
const TABLE_VERSION = /^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$/;
const REQUESTED_VERSION = /^([0-9]+)(?:\.([0-9]+))?$/;
const TABLE_KEYS = ['current', 'deprecated'];

const compareVersions = (a: TableVersion, b: TableVersion): number =>
  compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor);

/** Checks a version table document; throws a plain Error naming the problem. */
export const readVersionTable = (json: unknown): VersionTable => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('the version table is not a JSON object with "current" and "deprecated" lists');
  }
  for (const key of Object.keys(json)) {
    if (!TABLE_KEYS.includes(key)) throw new Error(`the version table has an unknown key "${key}"`);
  }
  const seen = new Set<string>();
  const versions: TableVersion[] = [];
  for (const key of TABLE_KEYS) {
    const list: unknown = (json as Record<string, unknown>)[key];
    if (!Array.isArray(list)) throw new Error(`the version table's "${key}" is not a list`);
    for (const version of list) {
      const match = typeof version === 'string' ? TABLE_VERSION.exec(version) : null;
      if (match === null || version !== match[0]) {
        throw new Error(
          `the version table's "${key}" has ${JSON.stringify(version)}, not a version written MAJOR.MINOR (e.g. 26.0)`,
        );
      }
      if (seen.has(version)) throw new Error(`the version table lists ${version} twice`);
      seen.add(version);
      versions.push({
        version,
        deprecated: key === 'deprecated',
        major: match[1] ?? '',
        minor: match[2] ?? '',
      });
    }
  }
  if (versions.length === 0) throw new Error('the version table lists no version');
  return { versions: versions.sort(compareVersions) };
};

/** API_VERSIONS (a document shaped like lib/qradar/versions.json) when set, the bundled table otherwise. */
export const versionTableFrom = (env: NodeJS.ProcessEnv): VersionTable => {
  const text = env['API_VERSIONS'];
  if (!text) return readVersionTable(bundled);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('API_VERSIONS is not JSON');
  }
  try {
    return readVersionTable(json);
  } catch (error) {
    throw new Error(`API_VERSIONS: ${(error as Error).message}`);
  }
};

/**
 * The version a request's `Version` header asks for. Absent, empty or blank: the latest. A major alone: the
 * latest version of that major or below it. MAJOR.MINOR: the nearest table version at or
 * below it. Above the latest, or not digits[.digits] once spaces and tabs around it are
 * removed: code 3. Below the lowest callable version (with the bundled table, any major below
 * 12): code 2, removed.
 */
export const resolveVersion = (raw: string | undefined, table: VersionTable): ResolvedVersion => {
  const { versions } = table;
  const latest = versions[versions.length - 1];
  if (latest === undefined) throw new Error('the version table lists no version');
  // An empty or all-blank header is an absent one (contract 11.1).
  if (raw === undefined || withoutBlanks(raw) === '') {
    return { version: latest.version, deprecated: latest.deprecated };
  }

  const match = REQUESTED_VERSION.exec(withoutBlanks(raw));
  if (match === null) throw versionInvalid(raw);
  const major = withoutLeadingZeros(match[1] ?? '');
  const minor = match[2] === undefined ? undefined : withoutLeadingZeros(match[2]);

  const majorToLatest = compareDigits(major, latest.major);
  if (
    majorToLatest > 0 ||
    (majorToLatest === 0 && minor !== undefined && compareDigits(minor, latest.minor) > 0)
  ) {
    throw versionInvalid(raw);
  }
  // A major alone stands for every minor of it, so it reaches that major's latest.
  const atOrBelow = ({ major: m, minor: n }: TableVersion): boolean => {
    const byMajor = compareDigits(m, major);
    return byMajor < 0 || (byMajor === 0 && (minor === undefined || compareDigits(n, minor) <= 0));
  };
  const found = versions.findLast(atOrBelow);
  if (found === undefined) throw versionRemoved(raw);
  return { version: found.version, deprecated: found.deprecated };
};

/** The callable versions, ascending, for /api/help/versions. */
export const callableVersions = (table: VersionTable): readonly ResolvedVersion[] =>
  table.versions.map(({ version, deprecated }) => ({ version, deprecated }));
