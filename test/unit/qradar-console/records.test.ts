import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeUtf8,
  firstInvalidUtf8,
  InputError,
  RecordSplitter,
  recordsOf,
  type SourceRecord,
} from '../../../lib/qradar-console/records.ts';

/** The records of `chunks`, fed one after another. */
const split = (chunks: readonly string[], options = {}): SourceRecord[] => {
  const splitter = new RecordSplitter(options);
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
};
const texts = (input: string, options = {}) => split([input], options).map((r) => r.text?.trim());

/** `input` cut into pieces at the given places. */
const cut = (input: string, places: number[]): string[] => {
  const sorted = [...new Set(places.map((p) => p % (input.length + 1)))].sort((a, b) => a - b);
  return [0, ...sorted].map((from, i) => input.slice(from, sorted[i] ?? input.length));
};

describe('RecordSplitter: a JSON array', () => {
  it('yields each element with its position and the line it starts on', () => {
    const input = '[\n  {"id": 1},\n  {"id": 2, "groups": ["A", "B"]}\n]\n';
    expect(split([input])).toEqual([
      { position: 1, line: 2, text: '\n  {"id": 1}' },
      { position: 2, line: 3, text: '\n  {"id": 2, "groups": ["A", "B"]}\n' },
    ]);
  });

  it('is not fooled by commas, brackets, braces or escaped quotes inside strings', () => {
    expect(texts('[{"a":"x,]}\\"[{"},{"b":"\\\\"}]')).toEqual(['{"a":"x,]}\\"[{"}', '{"b":"\\\\"}']);
  });

  it('yields scalars and nested arrays as records too, for the checker to refuse', () => {
    expect(texts('[1, "x", [2, 3], null]')).toEqual(['1', '"x"', '[2, 3]', 'null']);
  });

  it('holds no record in [] or an empty input, and a bad one for each empty place', () => {
    expect(texts(' [ ] ')).toEqual([]);
    expect(texts('')).toEqual([]);
    expect(texts('[,]')).toEqual(['', '']);
    expect(texts('[{"id":1},]')).toEqual(['{"id":1}', '']);
  });

  it('stops with an InputError for a broken array, after the records before the break', () => {
    const splitter = new RecordSplitter();
    expect(splitter.push('[{"id":1},{"id":2')).toHaveLength(1);
    expect(() => splitter.end()).toThrow(new InputError('the input ends at line 1 inside its array'));
    expect(() => split(['[{"id":1}]\n{"id":2}'])).toThrow(
      new InputError('line 2: text after the end of the array'),
    );
    expect(() => split(['\n\nid,status\n'])).toThrow(
      new InputError('line 3 starts with "i": neither a JSON array nor NDJSON'),
    );
  });

  it('hands out the records before text after the array, in the same chunk, then the break', () => {
    const splitter = new RecordSplitter();
    expect(splitter.push('[{"id":1},{"id":2}]\n,').map((r) => r.text)).toEqual(['{"id":1}', '{"id":2}']);
    expect(() => splitter.end()).toThrow(new InputError('line 2: text after the end of the array'));
    expect(() => splitter.push(']')).toThrow(InputError);
  });

  it('skips a leading byte order mark', () => {
    expect(texts('\uFEFF[{"id":1}]')).toEqual(['{"id":1}']);
  });

  it('does not keep a record longer than the limit, and goes on with the next', () => {
    const big = `{"name":"${'x'.repeat(100)}"}`;
    expect(split([`[${big},{"id":2}]`], { maxRecordChars: 50 })).toEqual([
      { position: 1, line: 1, text: undefined },
      { position: 2, line: 1, text: '{"id":2}' },
    ]);
  });

  it('for a console page: an array only, numbered from where the page starts, no lines', () => {
    expect(split(['[{"id":1}]'], { arrayOnly: true, firstPosition: 501 })).toEqual([
      { position: 501, text: '{"id":1}' },
    ]);
    expect(() => split(['{"id":1}'], { arrayOnly: true })).toThrow(InputError);
  });
});

describe('RecordSplitter: NDJSON', () => {
  it('yields each non-blank line, with CRLF endings and a last line without one', () => {
    expect(split(['{"id":1}\r\n\r\n  \n{"id":2}\n{"id":3}'])).toEqual([
      { position: 1, line: 1, text: '{"id":1}\r' },
      { position: 2, line: 4, text: '{"id":2}' },
      { position: 3, line: 5, text: '{"id":3}' },
    ]);
  });

  it('yields a line that is not JSON as it is, for the parser to refuse alone', () => {
    expect(texts('{"id":1}\nnot json\n{"id":2}\n')).toEqual(['{"id":1}', 'not json', '{"id":2}']);
  });
});

describe('RecordSplitter: any input', () => {
  const records = fc.array(
    fc.record({ id: fc.integer(), text: fc.string(), list: fc.array(fc.oneof(fc.string(), fc.integer())) }),
    { maxLength: 8 },
  );

  it('yields each element of a JSON array, however it is laid out and cut into chunks', () => {
    fc.assert(
      fc.property(records, fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }), (values, pretty, places) => {
        const input = JSON.stringify(values, null, pretty ? 2 : undefined);
        expect(split(cut(input, places)).map((r) => JSON.parse(r.text ?? ''))).toEqual(values);
      }),
    );
  });

  it('yields each line of NDJSON, however it is cut into chunks', () => {
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { maxLength: 10 }), (values, places) => {
        const input = values.map((v) => `${JSON.stringify(v)}\n`).join('');
        expect(split(cut(input, places)).map((r) => JSON.parse(r.text ?? ''))).toEqual(values);
      }),
    );
  });

  it('answers any text with records or an InputError, never another throw', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', '\n', ' ', 'a', '1') }),
    );
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (input, places, arrayOnly) => {
        try {
          for (const record of split(cut(input, places), { arrayOnly, maxRecordChars: 16 })) {
            expect(record.position).toBeGreaterThan(0);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('streams: recordsOf gives what the splitter gives', async () => {
    const out: SourceRecord[] = [];
    for await (const record of recordsOf(['[{"id":1},', '{"id":2}]'])) out.push(record);
    expect(out.map((r) => r.text)).toEqual(['{"id":1}', '{"id":2}']);
  });
});

describe('decodeUtf8', () => {
  /** `bytes` cut into pieces at the given places. */
  const pieces = (bytes: Uint8Array, places: number[]): Uint8Array[] => {
    const sorted = [...new Set(places.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
    return [0, ...sorted].map((from, i) => bytes.subarray(from, sorted[i] ?? bytes.length));
  };
  /** The text, or the InputError's message. */
  const decode = async (chunks: Uint8Array[]): Promise<string> => {
    async function* stream() {
      yield* chunks;
    }
    let text = '';
    try {
      for await (const part of decodeUtf8(stream())) text += part;
    } catch (error) {
      if (error instanceof InputError) return error.message;
      throw error;
    }
    return text;
  };

  it('names the byte that is not UTF-8, wherever the chunks are cut', async () => {
    // A Latin-1 é at byte 30: the case a cp1252 export makes.
    const latin1 = Buffer.concat([
      Buffer.from('{"id": 10, "backup_name": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    for (let at = 0; at <= latin1.length; at++) {
      expect(await decode(pieces(latin1, [at]))).toBe('not UTF-8 text at byte 30 (counted from 0): 0xe9');
    }
    expect(await decode([Buffer.from('ab'), Buffer.from([0xc3]), Buffer.from([0x28])])).toBe(
      'not UTF-8 text at byte 2 (counted from 0): 0xc3',
    );
    expect(await decode([Buffer.from('é€'), Buffer.from([0xed, 0xa0, 0x80])])).toBe(
      'not UTF-8 text at byte 5 (counted from 0): 0xed',
    );
  });

  it('says where a character cut off by the end of the input starts', async () => {
    const cutOff = Buffer.concat([Buffer.from('abc😀'), Buffer.from('😀').subarray(0, 3)]);
    for (let at = 0; at <= cutOff.length; at++) {
      expect(await decode(pieces(cutOff, [at]))).toBe(
        'not UTF-8 text: it ends inside a character that starts at byte 7 (counted from 0)',
      );
    }
  });

  it('decodes any text cut anywhere, and names the offset of a byte that never starts a character', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff),
        async (before, after, places, bad) => {
          const good = Buffer.from(before + after);
          expect(await decode(pieces(good, places))).toBe((before + after).replace(/^\uFEFF/, ''));
          const offset = Buffer.byteLength(before);
          const broken = Buffer.concat([Buffer.from(before), Buffer.from([bad]), Buffer.from(after)]);
          expect(await decode(pieces(broken, places))).toBe(
            `not UTF-8 text at byte ${offset} (counted from 0): 0x${bad.toString(16)}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds an invalid sequence exactly when a streaming decoder refuses the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        let refused = false;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
        } catch {
          refused = true;
        }
        expect(firstInvalidUtf8(bytes) !== -1).toBe(refused);
      }),
      { numRuns: 5000 },
    );
  });
});
