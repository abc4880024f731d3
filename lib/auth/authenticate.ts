// Who is calling (contract section 6): QRadar's SEC token of an authorized service, or HTTP Basic
// credentials of an authorized user. Tables hold only a token's SHA-256 and a password's
// scrypt hash; neither a token, a password, a hash nor the header is ever logged or echoed.

import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { ApiEvent, Middleware, Principal } from '../http/event.ts';
import { internalError, QRadarError, unauthorized } from '../qradar/errors.ts';
import { withoutBlanks } from '../qradar/text.ts';
import { readItem } from '../store/read.ts';
import { parseBasic, verifyPassword } from './password.ts';

/** Lower-case hex SHA-256: the only form of a token that is ever stored. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

interface Credential extends Principal {
  /** Milliseconds since the epoch; undefined: never expires. */
  readonly expiresAt: number | undefined;
}

const stringSet = (value: unknown, what: string): ReadonlySet<string> => {
  if (!(value instanceof Set || Array.isArray(value))) throw new Error(`${what} is not a String Set or List`);
  const list = [...value];
  if (!list.every((c) => typeof c === 'string'))
    throw new Error(`${what} holds a value that is not a string`);
  return new Set(list as string[]);
};

const expiry = (value: unknown, what: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const at = value instanceof NumberValue ? Number(value.value) : Number.NaN;
  if (!Number.isFinite(at)) throw new Error(`${what} is not a Number`);
  return at;
};

/** Checks an authorized_services item; throws on one that breaks section 6. */
export const checkService = (item: Readonly<Record<string, unknown>>): Credential => {
  const { name } = item;
  if (typeof name !== 'string') throw new Error('service name is not a string');
  return {
    kind: 'service',
    name,
    capabilities: stringSet(item['capabilities'], `capabilities of ${name}`),
    expiresAt: expiry(item['expires_at'], `expires_at of ${name}`),
  };
};

/** Checks an authorized_users item; throws on one that breaks section 6. */
export const checkUser = (
  username: string,
  item: Readonly<Record<string, unknown>>,
): Credential & { readonly passwordHash: string } => {
  const hash = item['password_hash'];
  if (typeof hash !== 'string') throw new Error(`password_hash of ${username} is not a string`);
  return {
    kind: 'user',
    name: username,
    capabilities: stringSet(item['capabilities'], `capabilities of ${username}`),
    expiresAt: expiry(item['expires_at'], `expires_at of ${username}`),
    passwordHash: hash,
  };
};

export const NO_CREDENTIALS =
  'No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"';
export const BAD_TOKEN = 'The SEC token is not valid: it is unknown or has expired.';
export const BAD_USER = 'The user name or password is not valid, or the user has expired.';
export const MALFORMED_BASIC =
  'The Authorization header is not valid Basic authentication: base64 of "user:password".';

// An unknown user is checked against this hash so that it takes as long as a wrong password:
// the time of a 401 does not tell which user names exist. (The password is "unknown".)
const DECOY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$5U6pDu7jZTxN/i51yeU/klCmiQK6UPMsBfKBQkPhmKtQfW5MFGol0m0utIeUya+9xo9uoB3daXhTmMl37ckjoA==';

export interface AuthenticateOptions {
  readonly client: DynamoDBDocumentClient;
  readonly servicesTable: string;
  readonly usersTable: string;
  /** How long a lookup, found or not, is reused by this container. */
  readonly cacheMs?: number;
  /** The most lookups kept; the oldest goes first. */
  readonly cacheEntries?: number;
  readonly now?: () => number;
}

/**
 * A lookup, found or not, until `until`. A refused Basic header also keeps which record it was
 * refused against (`refusedBy`: the SHA-256 of that password hash, or '' for no user).
 */
interface Entry {
  readonly credential: Credential | undefined;
  readonly until: number;
  readonly refusedBy?: string;
}

/**
 * middy middleware for HTTP callers; direct invocations are authorized by IAM already.
 * SEC decides when both headers are present; an empty or blank SEC counts as absent.
 * Lookups are cached by the SHA-256 of the token or of the whole Authorization header, so a
 * verified password costs one scrypt per container and cache period, and is never kept.
 */
export const authenticate = ({
  client,
  servicesTable,
  usersTable,
  cacheMs = 30_000,
  cacheEntries = 1000,
  now = Date.now,
}: AuthenticateOptions): Middleware => {
  const cache = new Map<string, Entry>();

  const fresh = (key: string): Entry | undefined => {
    const hit = cache.get(key);
    return hit !== undefined && hit.until > now() ? hit : undefined;
  };
  const remember = (key: string, entry: Omit<Entry, 'until'>): void => {
    cache.delete(key);
    cache.set(key, { ...entry, until: now() + cacheMs });
    if (cache.size > cacheEntries) cache.delete(cache.keys().next().value as string);
  };
  /** A failed lookup is never kept: a store error is a 503, anything else a 500. */
  const guarded = async <T>(lookUp: () => Promise<T>): Promise<T> => {
    try {
      return await lookUp();
    } catch (error) {
      throw error instanceof QRadarError ? error : internalError(error);
    }
  };

  const service = async (token: string, { deadline, store: stats }: ApiEvent) => {
    const hash = hashToken(token);
    const key = `sec:${hash}`;
    const hit = fresh(key);
    if (hit !== undefined) return hit.credential;
    const credential = await guarded(async () => {
      const item = await readItem(client, {
        table: servicesTable,
        key: { token_hash: hash },
        attributes: ['name', 'capabilities', 'expires_at'],
        deadline,
        stats,
      });
      return item === undefined ? undefined : checkService(item);
    });
    remember(key, { credential });
    return credential;
  };

  /**
   * A verified header is reused until it expires. A refused one is read again, but its password
   * is not verified again while the record it was refused against is unchanged, so a repeated
   * wrong header costs one scrypt per cache period and a user made or changed since (a new
   * user, a new password) is verified at once.
   */
  const user = async (
    header: string,
    username: string,
    password: string,
    { deadline, store: stats }: ApiEvent,
  ) => {
    const key = `basic:${hashToken(header)}`;
    const hit = fresh(key);
    if (hit?.credential !== undefined) return hit.credential;
    const found = await guarded(async () => {
      const item = await readItem(client, {
        table: usersTable,
        key: { username },
        attributes: ['password_hash', 'capabilities', 'expires_at'],
        deadline,
        stats,
      });
      return item === undefined ? undefined : checkUser(username, item);
    });
    const refusedBy = found === undefined ? '' : hashToken(found.passwordHash);
    if (hit !== undefined && hit.refusedBy === refusedBy) return undefined;
    // An unknown user costs the same scrypt as a known one.
    const verified = await guarded(() => verifyPassword(password, found?.passwordHash ?? DECOY_HASH));
    if (found === undefined || !verified) {
      remember(key, { credential: undefined, refusedBy });
      return undefined;
    }
    const credential: Credential = {
      kind: found.kind,
      name: found.name,
      capabilities: found.capabilities,
      expiresAt: found.expiresAt,
    };
    remember(key, { credential });
    return credential;
  };

  const current = (credential: Credential | undefined): credential is Credential =>
    credential !== undefined && (credential.expiresAt === undefined || credential.expiresAt > now());

  return {
    before: async ({ event }) => {
      if (event.caller !== 'http') return;
      // Blank is spaces and tabs (section 6), not every Unicode space: "\u00a0" is a token.
      const token = withoutBlanks(event.headers['sec'] ?? '');
      const authorization = event.headers['authorization'];
      let credential: Credential | undefined;
      if (token) {
        credential = await service(token, event);
        if (!current(credential)) throw unauthorized(BAD_TOKEN);
      } else if (authorization !== undefined && withoutBlanks(authorization) !== '') {
        const basic = parseBasic(authorization);
        if (basic === 'malformed') throw unauthorized(MALFORMED_BASIC);
        if (basic === undefined) throw unauthorized(NO_CREDENTIALS);
        credential = await user(authorization, basic.user, basic.password, event);
        if (!current(credential)) throw unauthorized(BAD_USER);
      } else {
        throw unauthorized(NO_CREDENTIALS);
      }
      event.principal = {
        kind: credential.kind,
        name: credential.name,
        capabilities: credential.capabilities,
      };
    },
  };
};
