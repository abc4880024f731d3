import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RESTORE_CACHE_TTL_MS, readConfig } from '../../lib/config.ts';
import { callableVersions } from '../../lib/qradar/version.ts';
import { LOCAL_TABLES, localTableNames, tableEnv } from '../../lib/store/tables.ts';

const complete = {
  RESTORES_TABLE: 'prod-restores',
  AUTHORIZED_SERVICES_TABLE: 'prod-services',
  AUTHORIZED_USERS_TABLE: 'prod-users',
  AWS_REGION: 'eu-west-1',
};

describe('readConfig', () => {
  it('reads the three table names, the region, the endpoint, the origins and the versions', () => {
    const config = readConfig({
      ...complete,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443',
      API_VERSIONS: '{"current":["2.0"],"deprecated":["1.0"]}',
    });
    expect(config).toMatchObject({
      restoresTable: 'prod-restores',
      authorizedServicesTable: 'prod-services',
      authorizedUsersTable: 'prod-users',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:8000',
    });
    expect([...config.allowedOrigins]).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(callableVersions(config.versions).map((v) => v.version)).toEqual(['1.0', '2.0']);
    expect(readConfig(complete).allowedOrigins.size).toBe(0);
  });

  it('fails the cold start on a CORS origin list or version table it cannot use', () => {
    expect(() => readConfig({ ...complete, CORS_ALLOWED_ORIGINS: '*' })).toThrow();
    expect(() => readConfig({ ...complete, API_VERSIONS: '{"current":[]}' })).toThrow();
  });

  it.each(['RESTORES_TABLE', 'AUTHORIZED_SERVICES_TABLE', 'AUTHORIZED_USERS_TABLE'])(
    'fails the cold start when %s is missing, empty or not a table name',
    (variable) => {
      const { [variable as keyof typeof complete]: _, ...without } = complete;
      expect(() => readConfig(without)).toThrow(`${variable} is not set`);
      expect(() => readConfig({ ...complete, [variable]: '' })).toThrow(`${variable} is not set`);
      expect(() => readConfig({ ...complete, [variable]: 'a b' })).toThrow(
        `${variable} is not a DynamoDB table name`,
      );
    },
  );

  it('reads the restore cache TTL: off (0) when unset or empty, whole milliseconds up to a minute', () => {
    expect(readConfig(complete).restoreCacheTtlMs).toBe(0);
    expect(readConfig({ ...complete, RESTORE_CACHE_TTL_MS: '' }).restoreCacheTtlMs).toBe(0);
    expect(readConfig({ ...complete, RESTORE_CACHE_TTL_MS: '1000' }).restoreCacheTtlMs).toBe(1000);
    expect(
      readConfig({ ...complete, RESTORE_CACHE_TTL_MS: String(MAX_RESTORE_CACHE_TTL_MS) }).restoreCacheTtlMs,
    ).toBe(60_000);
  });

  it.each(['-1', '1.5', '1e3', ' 1000', '0x10', '60001', '9999999', 'one second'])(
    'fails the cold start on a restore cache TTL of %j',
    (value) => {
      expect(() => readConfig({ ...complete, RESTORE_CACHE_TTL_MS: value })).toThrow(
        /^RESTORE_CACHE_TTL_MS is not a whole number of milliseconds from 0 to 60000/,
      );
    },
  );

  it('fails the cold start on an endpoint that is not a URL', () => {
    expect(() => readConfig({ ...complete, DYNAMODB_ENDPOINT: 'not a url' })).toThrow('DYNAMODB_ENDPOINT');
  });

  it('gives any environment a config or a setting error, never another throw', () => {
    const value = fc.option(fc.oneof(fc.string(), fc.constantFrom('restores', 'http://x:1')), {
      nil: undefined,
    });
    fc.assert(
      fc.property(
        fc.record({
          RESTORES_TABLE: value,
          AUTHORIZED_SERVICES_TABLE: value,
          AUTHORIZED_USERS_TABLE: value,
          DYNAMODB_ENDPOINT: value,
        }),
        (env) => {
          try {
            readConfig(env);
          } catch (error) {
            expect((error as Error).message).toMatch(
              /^(RESTORES_TABLE|AUTHORIZED_\w+_TABLE|DYNAMODB_ENDPOINT) is /,
            );
          }
        },
      ),
    );
  });
});

describe("the local runner's table names", () => {
  it('default to restores, authorized_services and authorized_users, and yield to the environment', () => {
    expect(localTableNames({})).toEqual({
      restoresTable: 'restores',
      authorizedServicesTable: 'authorized_services',
      authorizedUsersTable: 'authorized_users',
    });
    expect(localTableNames({ RESTORES_TABLE: 'mine', AUTHORIZED_USERS_TABLE: '' })).toEqual({
      ...LOCAL_TABLES,
      restoresTable: 'mine',
    });
  });

  it('make an environment the functions read back as the same names', () => {
    const names = { ...LOCAL_TABLES, authorizedServicesTable: 'other_services' };
    expect(readConfig(tableEnv(names))).toMatchObject(names);
  });
});
