import { describe, expect, it } from 'vitest';
import { ArrayBodySize, MAX_BODY_BYTES, MAX_ESCAPED_BODY_BYTES } from '../../../lib/http/body-size.ts';

/** Fills a body with copies of `element` until one more would not fit; the elements taken. */
const fill = (element: string): { taken: number; size: ArrayBodySize } => {
  const size = new ArrayBodySize();
  let taken = 0;
  while (size.add(element)) taken++;
  return { taken, size };
};

describe('ArrayBodySize', () => {
  it('counts `[`, `]`, the elements and their commas in UTF-8 bytes', () => {
    const size = new ArrayBodySize();
    expect(size.bytes).toBe(2);
    expect(size.add('{"a":"é"}')).toBe(true);
    expect(size.bytes).toBe(2 + 10);
    expect(size.add('1')).toBe(true);
    expect(size.bytes).toBe(2 + 10 + 1 + 1);
  });

  it('takes an ordinary body up to 5 MiB of UTF-8 bytes, never more', () => {
    const element = `{"id":1,"name":"${'x'.repeat(1000)}"}`;
    const { taken, size } = fill(element);
    expect(size.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(size.bytes + element.length + 1).toBeGreaterThan(MAX_BODY_BYTES);
    expect(taken).toBe(Math.floor((MAX_BODY_BYTES - 1) / (element.length + 1)));
  });

  it('takes less when quotes and backslashes would pass 6 MB once escaped inside the Lambda response', () => {
    const element = `"${'\\"'.repeat(500)}"`;
    const { taken, size } = fill(element);
    const body = `[${Array.from({ length: taken }, () => element).join(',')}]`;
    // The body as the runtime writes it inside {"body": "..."}: within Lambda's 6 MB with room to spare.
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(MAX_ESCAPED_BODY_BYTES + 2);
    expect(size.bytes).toBeLessThan(MAX_BODY_BYTES * 0.6);
    expect(MAX_ESCAPED_BODY_BYTES).toBeLessThan(6_000_000);
  });

  it('refuses an element that alone passes the bound, and leaves the body as it was', () => {
    const size = new ArrayBodySize();
    expect(size.add('x'.repeat(MAX_BODY_BYTES))).toBe(false);
    expect(size.bytes).toBe(2);
  });
});
