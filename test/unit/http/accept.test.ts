import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsJson } from '../../../lib/http/accept.ts';

describe('acceptsJson', () => {
  it.each([
    undefined,
    '',
    '  ',
    '*/*',
    'application/*',
    'application/json',
    'APPLICATION/JSON',
    'application/json;charset=UTF-8',
    'application/json; q=0.5',
    'text/html, application/xhtml+xml, */*;q=0.8',
    'text/plain, application/json;q=0.001',
    'application/json;q=0, */*;q=1, application/json;q=0.1',
    'application/*;q=0.2, */*;q=0',
    'application/json;qx',
    'application/json;q',
  ])('admits JSON: %j', (header) => {
    expect(acceptsJson(header)).toBe(true);
  });

  it.each([
    'text/html',
    'application/xml',
    'text/*',
    'application/json;q=0',
    'application/json;q=0, */*',
    'application/*;q=0, */*;q=1',
    'application/json;q=abc',
    'application/json;q=1.5',
    'application/jsonx',
    'json',
  ])('admits no JSON: %j', (header) => {
    expect(acceptsJson(header)).toBe(false);
  });

  it('never throws, and a list that names application/json without q admits it', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.constantFrom('text/html', 'image/png;q=0.3', 'x')),
        (noise, others) => {
          expect(typeof acceptsJson(noise)).toBe('boolean');
          expect(acceptsJson([...others, 'application/json'].join(', '))).toBe(true);
        },
      ),
    );
  });
});
