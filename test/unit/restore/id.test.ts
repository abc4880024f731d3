import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import { readId } from '../../../lib/restore/id.ts';
import { qradarErrorOf } from '../../support/thrown.ts';

const failure = (raw: unknown) => qradarErrorOf(() => readId(raw));

describe('readId', () => {
  it('reads path strings and safe JSON integers', () => {
    expect(readId('42')).toBe(42n);
    expect(readId('9007199254740993')).toBe(9007199254740993n);
    expect(readId(42)).toBe(42n);
    expect(readId(-9007199254740991)).toBe(-9007199254740991n);
  });

  it('is code 8 when there is no id', () => {
    for (const raw of [undefined, null]) {
      expect(failure(raw)).toMatchObject({
        status: 422,
        code: 8,
        message: 'Missing required parameter "id"',
      });
    }
  });

  it('is code 11 for a number a double cannot hold exactly, and for non-integers', () => {
    for (const raw of [9007199254740992, 1.5, Number.NaN, true, { id: 1 }, [1]]) {
      expect(failure(raw)).toMatchObject({ status: 422, code: 11 });
    }
    expect(failure(9007199254740992).message).toBe(
      'Failed to transform user path parameter "id" with a content type of "TEXT_PLAIN". Could not convert from 9007199254740992 to Long',
    );
  });

  it('echoes at most 100 characters of a bad id', () => {
    const message = failure('x'.repeat(5000)).message;
    expect(message).toContain(`from ${'x'.repeat(100)} to Long`);
    expect(message).not.toContain('x'.repeat(101));
  });

  it('gives a Long or the code 8/11 error for any JSON value, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.double(), fc.integer()), (raw) => {
        try {
          const id = readId(raw);
          expect(typeof id).toBe('bigint');
        } catch (error) {
          expect(error).toBeInstanceOf(QRadarError);
          expect([8, 11]).toContain((error as QRadarError).code);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
