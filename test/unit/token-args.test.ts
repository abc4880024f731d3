import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTokenArgs } from '../../scripts/token.ts';

const base = ['--name', 'reporting', '--capability', 'BACKUP'];

describe('npm run token arguments', () => {
  it('reads name, capabilities, days and table', () => {
    expect(readTokenArgs([...base, '--capability', 'ADMIN', '--expires-in-days', '0.5'], {})).toEqual({
      name: 'reporting',
      capabilities: ['BACKUP', 'ADMIN'],
      days: 0.5,
      table: 'authorized_services',
    });
    expect(readTokenArgs(base, { AUTHORIZED_SERVICES_TABLE: 'mine' })).toMatchObject({ table: 'mine' });
  });

  it.each([['1e308'], ['-1'], ['0'], ['36501'], ['0x10'], ['Infinity'], [' 2']])(
    'refuses --expires-in-days=%s',
    (days) => {
      expect(readTokenArgs([...base, `--expires-in-days=${days}`])).toEqual({
        reason: `--expires-in-days must be a number of days above 0 and at most 36500: ${days}`,
      });
    },
  );

  it('gives any arguments a request or a reason, never a throw, and never an unusable expiry', () => {
    const word = fc.oneof(
      fc.constantFrom('--name', '--capability', '--expires-in-days', '--table', '-1', '1e308', 'BACKUP', 'x'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (args) => {
        const result = readTokenArgs(args, {});
        if ('reason' in result) expect(typeof result.reason).toBe('string');
        else if (result.days !== undefined)
          expect(Number.isSafeInteger(Math.round(Date.now() + result.days * 86_400_000))).toBe(true);
      }),
    );
  });
});
