import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeBase64 } from '../../../lib/auth/base64.ts';
import {
  hashPassword,
  MAX_SCRYPT_MEMORY,
  MAX_SCRYPT_WORK,
  MAX_USER_BYTES,
  parseBasic,
  verifyPassword,
} from '../../../lib/auth/password.ts';

// scrypt itself, watched: whether a hash is computed at all is what the bounds decide.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, scrypt: vi.fn(actual.scrypt) };
});
beforeEach(() => {
  vi.mocked(crypto.scrypt).mockClear();
});

const basic = (text: string, scheme = 'Basic') => `${scheme} ${Buffer.from(text, 'utf8').toString('base64')}`;
/** Cheap parameters, so the tests that hash many passwords stay fast. */
const FAST = { N: 16, r: 1, p: 1 };
const b64 = (bytes: number, fill = 1) => Buffer.alloc(bytes, fill).toString('base64');
const stored = (N: unknown, r: unknown, p: unknown, salt = b64(16), key = b64(64)) =>
  `scrypt$${N}$${r}$${p}$${salt}$${key}`;

describe('hashPassword and verifyPassword', () => {
  it('writes scrypt$N$r$p$SALT$KEY with the defaults N=16384, r=8, p=1 and a 16-byte salt', async () => {
    const hash = await hashPassword('correct horse');
    const [scheme, N, r, p, salt = '', key = '', ...rest] = hash.split('$');
    expect([scheme, N, r, p, rest]).toEqual(['scrypt', '16384', '8', '1', []]);
    expect(decodeBase64(salt)).toHaveLength(16);
    expect(decodeBase64(key)).toHaveLength(64);
    expect(hash).not.toContain('correct horse');
  });

  it('verifies the password it hashed, and no other', async () => {
    const hash = await hashPassword('pässword:with:colons');
    expect(await verifyPassword('pässword:with:colons', hash)).toBe(true);
    expect(await verifyPassword('pässword:with:colon', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(await verifyPassword('password:with:colons', hash)).toBe(false);
  });

  it('salts every hash afresh', async () => {
    const [a, b] = await Promise.all([hashPassword('same', FAST), hashPassword('same', FAST)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('verifies a hash written by any writer that follows the format', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdefXYZ');
    const key = scryptSync('s3cret', salt, 64, { N: 1024, r: 4, p: 2 });
    const hash = `scrypt$1024$4$2$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cret ', hash)).toBe(false);
  });

  it('refuses parameters outside the bounds when hashing', async () => {
    const refused = async (params: { N: number; r: number; p: number }) =>
      (await hashPassword('x', params).catch((e: unknown) => e)) as Error;
    for (const [params, problem] of [
      [{ N: 1000, r: 8, p: 1 }, /an N that is not a power of two above 1$/],
      [{ N: 1, r: 8, p: 1 }, /an N that is not a power of two above 1$/],
      [{ N: 2 ** 16, r: 1, p: 1 }, /an N of 2\^\(16·r\) or more$/],
      // 32 MiB and 3 KiB: over by what B and the two extra blocks add.
      [{ N: 2 ** 15, r: 8, p: 1 }, /N, r and p that ask for more than 32 MiB$/],
      [{ N: 2, r: 2 ** 19, p: 1 }, /N, r and p that ask for more than 32 MiB$/],
      [{ N: 2 ** 14, r: 8, p: 9 }, /N, r and p that ask for more work than N·r·p = 2\^20$/],
      [{ N: 16, r: 0, p: 1 }, /N, r and p that are not positive whole numbers$/],
      [{ N: 16, r: 1, p: 1.5 }, /N, r and p that are not positive whole numbers$/],
    ] as const) {
      expect((await refused(params)).message).toMatch(
        new RegExp(`^scrypt parameters have ${problem.source}`),
      );
    }
    expect(crypto.scrypt).not.toHaveBeenCalled();
  });

  it.each([
    ['another algorithm', '$2b$10$abcdefghijklmnopqrstuv'],
    ['an empty value', ''],
    ['a missing part', `scrypt$16$1$1$${b64(16)}`],
    ['an extra part', `${stored(16, 1, 1)}$x`],
    ['a wrong scheme', stored(16, 1, 1).replace('scrypt', 'SCRYPT')],
    ['a huge N', stored('9'.repeat(40), 1, 1)],
    ['N with a sign', stored('+16', 1, 1)],
    ['N in hex', stored('0x10', 1, 1)],
    ['N with leading zeros', stored('016', 1, 1)],
    ['r of 0', stored(16, 0, 1)],
    ['a 15-byte salt', stored(16, 1, 1, b64(15))],
    ['a salt that is not base64', stored(16, 1, 1, `${b64(16).slice(0, -2)}!!`)],
    ['a base64url salt', stored(16, 1, 1, Buffer.alloc(18, 0xfb).toString('base64url'))],
    ['an unpadded salt', stored(16, 1, 1, b64(16).replace(/=+$/, ''))],
    ['a 63-byte key', stored(16, 1, 1, b64(16), b64(63))],
    ['a 65-byte key', stored(16, 1, 1, b64(16), b64(65))],
    ['a key with blanks', stored(16, 1, 1, b64(16), ` ${b64(64)}`)],
  ])('throws a plain Error for a stored hash with %s, never echoing it', async (_case, value) => {
    const error = await verifyPassword('x', value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^password_hash /);
    if (value !== '') expect((error as Error).message).not.toContain(value.split('$').at(-1));
  });

  it.each([
    ['N not a power of two', stored(1000, 1, 1)],
    ['N of 1', stored(1, 1, 1)],
    ['N of 2^16 with r = 1, which OpenSSL refuses', stored(2 ** 16, 1, 1)],
    ['N of 2^20 with r = 1 (128 MiB)', stored(2 ** 20, 1, 1)],
    ['r of 2^19 (320 MiB)', stored(2, 2 ** 19, 1)],
    ['a huge p', stored(16, 1, 99999999)],
    ['8 times the work the bound allows', stored(2 ** 20, 8, 1)],
    ['just over the memory bound', stored(2 ** 15, 8, 1)],
    ['just over the work bound', stored(2 ** 14, 8, 9)],
  ])('matches no password, without computing it, for a hash with %s', async (_case, value) => {
    expect(await verifyPassword('x', value)).toBe(false);
    expect(crypto.scrypt).not.toHaveBeenCalled();
  });

  it('computes every hash within the bounds, up to the most expensive ones', async () => {
    for (const [N, r, p] of [
      [2 ** 14, 8, 8],
      [2 ** 14, 15, 4],
      [2, 2048, 124],
    ] as const) {
      expect(128 * r * (N + p + 2)).toBeLessThanOrEqual(MAX_SCRYPT_MEMORY);
      expect(N * r * p).toBeLessThanOrEqual(MAX_SCRYPT_WORK);
      expect(await verifyPassword('x', stored(N, r, p))).toBe(false);
    }
    expect(crypto.scrypt).toHaveBeenCalledTimes(3);
    // Three of the costliest hashes the bounds allow (about 0.5 s each alone; more on a busy machine).
  }, 30_000);

  it('computes a hash exactly when scrypt takes its parameters and they are within both bounds', async () => {
    // Cheap parameters around RFC 7914's limit (N < 2^(16·r)) and the memory bound. A hash
    // computed with parameters OpenSSL refuses would reject instead of answering false.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (k, r, p) => {
          const N = 2 ** k;
          vi.mocked(crypto.scrypt).mockClear();
          const computed =
            N >= 2 &&
            N < 2 ** (16 * r) &&
            128 * r * (N + p + 2) <= MAX_SCRYPT_MEMORY &&
            N * r * p <= MAX_SCRYPT_WORK;
          const hash = stored(N, r, p);
          expect(await verifyPassword('x', hash)).toBe(false);
          expect(vi.mocked(crypto.scrypt).mock.calls.length).toBe(computed ? 1 : 0);
        },
      ),
      { numRuns: 40 },
    );
    // Up to 40 real scrypt runs, some of the costlier allowed ones among them.
  }, 60_000);

  it('throws a plain Error or answers a boolean for any stored value', async () => {
    const part = fc.oneof(fc.string(), fc.constantFrom('16', '1', b64(16), b64(64), '1048576', '0'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.array(part, { maxLength: 7 }).map((parts) => ['scrypt', ...parts].join('$')),
        ),
        async (value) => {
          const outcome = await verifyPassword('x', value).catch((e: unknown) => e);
          if (typeof outcome !== 'boolean') {
            expect(outcome).toBeInstanceOf(Error);
            expect((outcome as Error).message).toMatch(/^password_hash /);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips any password', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (password) => {
        const hash = await hashPassword(password, FAST);
        expect(await verifyPassword(password, hash)).toBe(true);
        expect(await verifyPassword(`${password}x`, hash)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('parseBasic', () => {
  it('answers undefined without a header or for another scheme', () => {
    expect(parseBasic(undefined)).toBeUndefined();
    expect(parseBasic('')).toBeUndefined();
    expect(parseBasic('   ')).toBeUndefined();
    expect(parseBasic('Bearer abc.def.ghi')).toBeUndefined();
    expect(parseBasic(basic('a:b', 'Digest'))).toBeUndefined();
    expect(parseBasic(basic('a:b', 'Basically'))).toBeUndefined();
    expect(parseBasic(basic('a:b', 'Basic-x'))).toBeUndefined();
    expect(parseBasic('=Basic YTpi')).toBeUndefined();
  });

  it('reads user and password', () => {
    expect(parseBasic('Basic YWRtaW46c2VjcmV0')).toEqual({ user: 'admin', password: 'secret' });
    // RFC 7617's own example.
    expect(parseBasic('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({
      user: 'Aladdin',
      password: 'open sesame',
    });
  });

  it.each(['basic', 'BASIC', 'bAsIc'])('takes the scheme name %s in any case', (scheme) => {
    expect(parseBasic(basic('u:p', scheme))).toEqual({ user: 'u', password: 'p' });
  });

  it('takes one or more spaces after the scheme, and blanks around the value', () => {
    expect(parseBasic('Basic    dTpw')).toEqual({ user: 'u', password: 'p' });
    expect(parseBasic(' \tBasic dTpw \t')).toEqual({ user: 'u', password: 'p' });
  });

  it('splits at the first colon: the password may hold colons, and may be empty', () => {
    expect(parseBasic(basic('user:pa:ss:'))).toEqual({ user: 'user', password: 'pa:ss:' });
    expect(parseBasic(basic('user:'))).toEqual({ user: 'user', password: '' });
    expect(parseBasic(basic('user::'))).toEqual({ user: 'user', password: ':' });
  });

  it('decodes UTF-8', () => {
    expect(parseBasic(basic('test:123£'))).toEqual({ user: 'test', password: '123£' });
    expect(parseBasic(basic('Jürgen:日本語🔑'))).toEqual({ user: 'Jürgen', password: '日本語🔑' });
    expect(parseBasic(`Basic ${Buffer.from('\ufeffu:p').toString('base64')}`)).toEqual({
      user: '\ufeffu',
      password: 'p',
    });
  });

  it.each([
    ['no credentials', 'Basic'],
    ['only spaces after the scheme', 'Basic    '],
    ['a tab after the scheme', 'Basic\tdTpw'],
    ['no space after the scheme', 'Basic:dTpw'],
    ['no colon', basic('userpassword')],
    ['an empty user', basic(':password')],
    ['an empty value', basic('')],
    ['characters outside base64', 'Basic dTpw!'],
    ['base64url', `Basic ${Buffer.from('u?:>>>?').toString('base64url')}`],
    ['missing padding', 'Basic dTpwcQ'],
    ['too much padding', 'Basic dTpw===='],
    ['padding inside', 'Basic dQ==dTpw'],
    ['non-zero pad bits', 'Basic dTpwcR=='],
    ['a space inside', 'Basic dTpw dTpw'],
    ['two schemes', 'Basic dTpw, Basic dTpw'],
    ['a line break inside', 'Basic dTpw\ncQ=='],
    ['invalid UTF-8', `Basic ${Buffer.from([0x75, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['an overlong UTF-8 colon', `Basic ${Buffer.from([0x75, 0xc0, 0xba, 0x70]).toString('base64')}`],
    ['a lone surrogate in UTF-8', `Basic ${Buffer.from([0x75, 0x3a, 0xed, 0xa0, 0x80]).toString('base64')}`],
    ['a user name DynamoDB cannot hold', basic(`${'é'.repeat(MAX_USER_BYTES / 2 + 1)}:p`)],
  ])('answers malformed for %s', (_case, header) => {
    expect(parseBasic(header)).toBe('malformed');
  });

  it('takes a user name of MAX_USER_BYTES', () => {
    const user = 'é'.repeat(MAX_USER_BYTES / 2);
    expect(parseBasic(basic(`${user}:p`))).toEqual({ user, password: 'p' });
  });

  it('round-trips any user without a colon and any password', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }).filter((user) => !user.includes(':')),
        fc.string({ unit: 'binary' }),
        fc.constantFrom('Basic', 'basic', 'BASIC'),
        fc.integer({ min: 1, max: 4 }),
        (user, password, scheme, spaces) => {
          const header = `${scheme}${' '.repeat(spaces)}${Buffer.from(`${user}:${password}`).toString('base64')}`;
          expect(parseBasic(header)).toEqual({ user, password });
        },
      ),
    );
  });

  it('answers any header with credentials, malformed or undefined, never an error', () => {
    const almostBasic = fc
      .tuple(
        fc.constantFrom('Basic ', 'basic  ', 'Basic', 'Bearer '),
        fc.oneof(fc.string(), fc.base64String()),
      )
      .map(([scheme, rest]) => `${scheme}${rest}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), almostBasic), (header) => {
        const parsed = parseBasic(header);
        if (parsed === undefined) {
          expect(/^[ \t]*basic(?: |$)/i.test(header)).toBe(false);
        } else if (parsed !== 'malformed') {
          expect(parsed.user.length).toBeGreaterThan(0);
          expect(parsed.user).not.toContain(':');
          expect(header.trim().toLowerCase().startsWith('basic ')).toBe(true);
        }
      }),
    );
  });
});

describe('decodeBase64', () => {
  it('reads back exactly what Buffer encodes, and nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(decodeBase64(text)).toEqual(Buffer.from(bytes));
        if (text.length > 0) {
          if (text.endsWith('=')) expect(decodeBase64(text.replace(/=+$/, ''))).toBeUndefined();
          expect(decodeBase64(` ${text}`)).toBeUndefined();
          expect(decodeBase64(`${text}=`)).toBeUndefined();
        }
      }),
    );
  });
});
