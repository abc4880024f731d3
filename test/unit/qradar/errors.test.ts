import { describe, expect, it } from 'vitest';
import {
  echo,
  listInternalError,
  listStoreUnavailable,
  listTooLarge,
  restoreNotFound,
  storeUnavailable,
} from '../../../lib/qradar/errors.ts';

describe('echo', () => {
  it('keeps short values and cuts long ones to 100 characters', () => {
    expect(echo('abc')).toBe('abc');
    expect(echo('a'.repeat(150))).toHaveLength(100);
  });

  it('never ends on half a surrogate pair', () => {
    const value = `${'a'.repeat(99)}😀tail`;
    expect(echo(value)).toBe('a'.repeat(99));
  });

  it('describes values that are not strings as JSON', () => {
    expect(echo({ a: 1 })).toBe('{"a":1}');
    expect(echo(true)).toBe('true');
  });
});

describe('QRadarError', () => {
  it('writes the section 5 body, with the id in the 404 message', () => {
    expect(restoreNotFound(-5n).toBody()).toEqual({
      http_response: { code: 404, message: 'We could not find the resource you requested.' },
      code: 1001,
      message: 'No restore was found with the id -5.',
      description: 'The restore does not exist.',
      details: {},
    });
  });

  it('is named by the error type a direct caller routes on', () => {
    expect(restoreNotFound(1n).name).toBe('RestoreNotFound');
    expect(storeUnavailable().name).toBe('StoreUnavailable');
  });
});

describe('the restores list (contract 13)', () => {
  it('says "the restores" in a 500 or 503, with the status its error type names', () => {
    expect(listInternalError().toBody()).toMatchObject({
      http_response: { code: 500, message: 'Unexpected internal server error' },
      code: 1000,
      description: 'An error occurred during the attempt to retrieve the restores.',
    });
    expect(listStoreUnavailable()).toMatchObject({
      name: 'StoreUnavailable',
      status: 503,
      description: 'An error occurred during the attempt to retrieve the restores.',
    });
    expect(listInternalError().name).toBe('InternalError');
  });

  it('names the filtered total in plain digits in the code 37 message', () => {
    expect(listTooLarge(123456).toBody()).toMatchObject({
      http_response: { code: 422 },
      code: 37,
      message:
        'The list holds 123456 restores, too many for one response; page through it with the Range header, e.g. Range: items=0-999.',
      description: '',
    });
  });
});
