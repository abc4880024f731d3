// Passwords of HTTP Basic authentication (contract section 6): the header, and the stored
// `scrypt$N$r$p$SALT$KEY` hash. Neither a password nor a hash ever appears in an error message.

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { withoutBlanks } from '../qradar/text.ts';
import { decodeBase64 } from './base64.ts';

export interface ScryptParams {
  /** CPU and memory cost: a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelism. */
  readonly p: number;
}

export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };
/**
 * The most memory a hash may ask for, as OpenSSL allocates it (128·r·(N + p + 2) bytes): 32 MiB,
 * Node's own default `maxmem`, so any writer on Node's defaults stays within it. The default
 * cost takes 16 MiB.
 */
export const MAX_SCRYPT_MEMORY = 32 * 1024 * 1024;
/** The most work a hash may ask for, as N·r·p: eight times the default's (2^17). */
export const MAX_SCRYPT_WORK = 2 ** 20;
/** DynamoDB's limit for a partition key: a longer user name cannot be stored, so never matches. */
export const MAX_USER_BYTES = 2048;

const SALT_BYTES = 16;
const MAX_SALT_BYTES = 1024;
const KEY_BYTES = 64;
const PARAM = /^[1-9][0-9]{0,7}$/;
// RFC 9110's token: the characters an authentication scheme's name may have.
const SCHEME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const CREDENTIALS = /^ +([A-Za-z0-9+/=]+)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes OpenSSL allocates for these parameters: B (p blocks of 128·r), V (N blocks) and two more. */
const scryptMemory = ({ N, r, p }: ScryptParams): number => 128 * r * (N + p + 2);

/**
 * Why this service will not compute scrypt with `params`, or undefined: not parameters scrypt
 * takes at all, or more memory or work than the bounds above.
 */
const paramsProblem = ({ N, r, p }: ScryptParams): string | undefined => {
  if (![N, r, p].every((value) => Number.isSafeInteger(value) && value >= 1)) {
    return 'N, r and p that are not positive whole numbers';
  }
  if (N < 2 || 2 ** Math.round(Math.log2(N)) !== N) return 'an N that is not a power of two above 1';
  // RFC 7914: N < 2^(128·r/8); OpenSSL refuses anything else.
  if (N >= 2 ** (16 * r)) return 'an N of 2^(16·r) or more';
  if (scryptMemory({ N, r, p }) > MAX_SCRYPT_MEMORY) return 'N, r and p that ask for more than 32 MiB';
  if (N * r * p > MAX_SCRYPT_WORK) return 'N, r and p that ask for more work than N·r·p = 2^20';
  return undefined;
};

// Exactly what OpenSSL allocates, so it never refuses parameters paramsProblem accepts.
const scryptOptions = (params: ScryptParams): ScryptOptions => ({ ...params, maxmem: scryptMemory(params) });

const derive = (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** A new `scrypt$N$r$p$SALT$KEY` for `password`, with a fresh 16-byte salt. */
export const hashPassword = async (
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<string> => {
  const problem = paramsProblem(params);
  if (problem !== undefined) throw new Error(`scrypt parameters have ${problem}`);
  const options = scryptOptions(params);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, options);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
};

interface StoredHash {
  /** False for a well-formed hash with parameters this service will not compute (paramsProblem). */
  readonly affordable: boolean;
  readonly options: ScryptOptions;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const readStored = (stored: string): StoredHash => {
  const [scheme, N, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || key === undefined || rest.length > 0) {
    throw new Error('password_hash is not scrypt$N$r$p$SALT$KEY');
  }
  if (![N, r, p].every((value) => value !== undefined && PARAM.test(value))) {
    throw new Error('password_hash has N, r or p that is not a decimal number');
  }
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  const saltBytes = decodeBase64(salt ?? '');
  if (saltBytes === undefined || saltBytes.length < SALT_BYTES || saltBytes.length > MAX_SALT_BYTES) {
    throw new Error(
      `password_hash has a salt that is not ${SALT_BYTES} to ${MAX_SALT_BYTES} bytes of base64`,
    );
  }
  const keyBytes = decodeBase64(key);
  if (keyBytes === undefined || keyBytes.length !== KEY_BYTES) {
    throw new Error(`password_hash has a key that is not ${KEY_BYTES} bytes of base64`);
  }
  return {
    affordable: paramsProblem(params) === undefined,
    options: scryptOptions(params),
    salt: saltBytes,
    key: keyBytes,
  };
};

/**
 * Whether `password` matches a stored hash, compared in constant time. A stored value that is
 * not a well-formed hash throws a plain Error: a malformed record. A well-formed hash whose
 * N, r and p scrypt does not take, or that ask for more memory or work than the bounds, matches
 * no password and is never computed: such a record costs nothing and never fails a request.
 */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const { affordable, options, salt, key } = readStored(stored);
  if (!affordable) return false;
  return timingSafeEqual(await derive(password, salt, options), key);
};

/**
 * Reads an `Authorization` header (RFC 7617):
 * - undefined: no header, or another scheme than Basic (there are no Basic credentials);
 * - 'malformed': Basic (any case), but not followed by spaces and canonical standard base64
 *   of UTF-8 `user:password`, or with an empty user name or one over MAX_USER_BYTES;
 * - the credentials otherwise, split at the first colon, so a password may contain colons.
 * Spaces and tabs around the whole value are ignored.
 */
export const parseBasic = (header: string | undefined): BasicCredentials | 'malformed' | undefined => {
  if (header === undefined) return undefined;
  const value = withoutBlanks(header);
  const scheme = SCHEME.exec(value)?.[0];
  if (scheme === undefined || scheme.toLowerCase() !== 'basic') return undefined;
  const encoded = CREDENTIALS.exec(value.slice(scheme.length))?.[1];
  const bytes = encoded === undefined ? undefined : decodeBase64(encoded);
  if (bytes === undefined) return 'malformed';
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return 'malformed';
  }
  const colon = text.indexOf(':');
  // No user can have an empty name: DynamoDB keys are never empty.
  if (colon <= 0 || Buffer.byteLength(text.slice(0, colon)) > MAX_USER_BYTES) return 'malformed';
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
};
