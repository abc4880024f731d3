// QRadar's SEC token (spec section 6): a service presents it, the authorized_services table
// holds only its SHA-256, and reading a restore needs the BACKUP or ADMIN capability.

import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { forbidden, internalError, unauthorized } from './errors.ts';
import type { RestoreEvent } from './event.ts';
import { readItem } from './store.ts';

export const READ_CAPABILITIES: ReadonlySet<string> = new Set(['BACKUP', 'ADMIN']);

/** Lower-case hex SHA-256: the only form of a token that is ever stored. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export interface AuthorizedService {
  readonly name: string;
  readonly capabilities: ReadonlySet<string>;
  /** Milliseconds since the epoch; undefined: never expires. */
  readonly expiresAt: number | undefined;
}

/** Checks an authorized_services item; throws on one that breaks section 6. */
export const checkService = (item: Readonly<Record<string, unknown>>): AuthorizedService => {
  const { name, capabilities, expires_at: expiresAt } = item;
  if (typeof name !== 'string') throw new Error('service name is not a string');
  if (!(capabilities instanceof Set || Array.isArray(capabilities))) {
    throw new Error(`capabilities of ${name} are not a String Set or List`);
  }
  const list = [...capabilities];
  if (!list.every((c) => typeof c === 'string')) throw new Error(`capabilities of ${name} are not strings`);
  if (expiresAt !== undefined && expiresAt !== null && !(expiresAt instanceof NumberValue)) {
    throw new Error(`expires_at of ${name} is not a Number`);
  }
  const expiry = expiresAt instanceof NumberValue ? Number(expiresAt.value) : undefined;
  if (expiry !== undefined && !Number.isFinite(expiry))
    throw new Error(`expires_at of ${name} is not a Number`);
  return { name, capabilities: new Set(list as string[]), expiresAt: expiry };
};

export interface AuthorizeOptions {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  /** How long a lookup, found or not, is reused by this container. */
  readonly cacheMs?: number;
  /** The most lookups kept; the oldest goes first. */
  readonly cacheEntries?: number;
  readonly now?: () => number;
}

const NO_TOKEN = 'No SEC header present in request. Please provide it and try again.';
const BAD_TOKEN = 'The SEC token is not valid: it is unknown or has expired.';

/**
 * middy middleware for HTTP callers; direct invocations are authorized by IAM already.
 * Errors never carry the token or its hash, and neither is logged.
 */
export const authorize = ({
  client,
  table,
  cacheMs = 30_000,
  cacheEntries = 1000,
  now = Date.now,
}: AuthorizeOptions) => {
  const cache = new Map<string, { service: AuthorizedService | undefined; until: number }>();

  const lookUp = async (
    hash: string,
    deadline: number | undefined,
  ): Promise<AuthorizedService | undefined> => {
    const cached = cache.get(hash);
    if (cached !== undefined && cached.until > now()) return cached.service;
    const item = await readItem(client, {
      table,
      key: { token_hash: hash },
      attributes: ['name', 'capabilities', 'expires_at'],
      deadline,
    });
    let service: AuthorizedService | undefined;
    try {
      service = item === undefined ? undefined : checkService(item);
    } catch (error) {
      throw internalError(error);
    }
    cache.delete(hash);
    cache.set(hash, { service, until: now() + cacheMs });
    if (cache.size > cacheEntries) cache.delete(cache.keys().next().value as string);
    return service;
  };

  return {
    before: async ({ event }: { event: RestoreEvent }): Promise<void> => {
      if (event.caller !== 'http') return;
      const token = event.headers['sec']?.trim();
      if (!token) throw unauthorized(NO_TOKEN);
      const service = await lookUp(hashToken(token), event.deadline);
      if (service === undefined || (service.expiresAt !== undefined && service.expiresAt <= now())) {
        throw unauthorized(BAD_TOKEN);
      }
      if (![...service.capabilities].some((c) => READ_CAPABILITIES.has(c))) throw forbidden();
    },
  };
};
