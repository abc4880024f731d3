import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
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
