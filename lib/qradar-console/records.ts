// Splits an import's input into the text of each record as it streams past, so no more than
// one record is ever held: a JSON array (QRadar's list, pretty-printed or not) yields each
// element, anything starting with `{` is NDJSON and yields each non-blank line. Records are
// parsed one by one afterwards, so a bad one is rejected alone; only a break in the array's
// own structure (text after it, an array never closed) stops the reading.

export interface SourceRecord {
  /** 1-based place in the input (the list, for a console). */
  readonly position: number;
  /** 1-based line where the record starts; absent for a console's pages. */
  readonly line?: number;
  /** The record's JSON text; undefined when it was longer than the limit (not kept). */
  readonly text: string | undefined;
}

/** The input as a whole is not an array or NDJSON: reading cannot go on. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A restore's JSON is well under 2 KiB: a record past this is no restore, and is not kept. */
export const MAX_RECORD_CHARS = 1 << 20;

export interface SplitterOptions {
  /** The position of the first record (a console's page starts where the last one ended). */
  readonly firstPosition?: number;
  /** Only a JSON array is valid (a console's page); no NDJSON, no line numbers. */
  readonly arrayOnly?: boolean;
  readonly maxRecordChars?: number;
}

type Mode = 'start' | 'array' | 'lines' | 'after';

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF';

const shown = (c: string): string => JSON.stringify(c);

export class RecordSplitter {
  private mode: Mode = 'start';
  private line = 1;
  private position: number;
  private readonly arrayOnly: boolean;
  private readonly maxChars: number;
  // The record being read.
  private parts: string[] = [];
  private size = 0;
  private blank = true;
  private startLine = 1;
  // Its structure, in array mode: nesting below the array, and whether inside a string.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private commaSeen = false;
  // A break found after records that ended in the same chunk: thrown on the next call, so
  // those records are still handed out (and counted) first.
  private broken: InputError | undefined;

  constructor({
    firstPosition = 1,
    arrayOnly = false,
    maxRecordChars = MAX_RECORD_CHARS,
  }: SplitterOptions = {}) {
    this.position = firstPosition;
    this.arrayOnly = arrayOnly;
    this.maxChars = maxRecordChars;
  }

  /**
   * The records that end in `chunk`. When the input's structure breaks, the records before the
   * break are returned and the InputError is thrown by the next push or end.
   */
  push(chunk: string): SourceRecord[] {
    if (this.broken !== undefined) throw this.broken;
    const out: SourceRecord[] = [];
    try {
      this.scan(chunk, out);
    } catch (error) {
      if (!(error instanceof InputError) || out.length === 0) throw error;
      this.broken = error;
    }
    return out;
  }

  private scan(chunk: string, out: SourceRecord[]): void {
    let from = 0; // start of the part of `chunk` that belongs to the current record
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charAt(i);
      switch (this.mode) {
        case 'start':
          if (c === '\n') this.line++;
          if (isSpace(c)) break;
          if (c === '[') {
            this.mode = 'array';
            from = i + 1;
          } else if (c === '{' && !this.arrayOnly) {
            this.mode = 'lines';
            from = i;
            this.blank = false;
            this.startLine = this.line;
          } else {
            throw new InputError(
              `line ${this.line} starts with ${shown(c)}: ${this.arrayOnly ? 'not a JSON array' : 'neither a JSON array nor NDJSON'}`,
            );
          }
          break;
        case 'lines':
          if (c === '\n') {
            this.keep(chunk, from, i);
            this.endRecord(out);
            this.line++;
            from = i + 1;
          } else if (this.blank && !isSpace(c)) {
            this.blank = false;
            this.startLine = this.line;
          }
          break;
        case 'array':
          if (c === '\n') this.line++;
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === '\\') this.escaped = true;
            else if (c === '"') this.inString = false;
            break;
          }
          if (this.blank && !isSpace(c) && !(this.depth === 0 && (c === ',' || c === ']'))) {
            this.blank = false;
            this.startLine = this.line;
          }
          if (c === '"') this.inString = true;
          else if (c === '{' || c === '[') this.depth++;
          else if ((c === '}' || c === ']') && this.depth > 0) this.depth--;
          else if (this.depth === 0 && (c === ',' || c === ']')) {
            this.keep(chunk, from, i);
            // `[]` holds no record; an empty place anywhere else (`[,` `,,` `,]`) is a bad record.
            if (c === ',' || this.commaSeen || !this.blank) this.endRecord(out);
            else this.dropRecord();
            if (c === ',') this.commaSeen = true;
            else this.mode = 'after';
            from = i + 1;
          }
          break;
        case 'after':
          if (c === '\n') this.line++;
          if (!isSpace(c)) throw new InputError(`line ${this.line}: text after the end of the array`);
          break;
      }
    }
    if (this.mode === 'array' || this.mode === 'lines') this.keep(chunk, from, chunk.length);
  }

  /** The last record, when the input ends. Throws InputError for an array never closed. */
  end(): SourceRecord[] {
    if (this.broken !== undefined) throw this.broken;
    const out: SourceRecord[] = [];
    if (this.mode === 'array') throw new InputError(`the input ends at line ${this.line} inside its array`);
    if (this.mode === 'lines') this.endRecord(out);
    return out;
  }

  private keep(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    this.size += to - from;
    // Past the limit the record is only scanned, not kept: memory stays flat whatever comes.
    if (this.size > this.maxChars) this.parts = [];
    else this.parts.push(chunk.slice(from, to));
  }

  private endRecord(out: SourceRecord[]): void {
    if (this.mode === 'lines' && this.blank) {
      this.dropRecord();
      return;
    }
    const text = this.size > this.maxChars ? undefined : this.parts.join('');
    const line = this.arrayOnly ? {} : { line: this.startLine };
    out.push({ position: this.position++, ...line, text });
    this.dropRecord();
  }

  private dropRecord(): void {
    this.parts = [];
    this.size = 0;
    this.blank = true;
    this.startLine = this.line;
  }
}

/** The records of a stream of text chunks, one at a time. */
export async function* recordsOf(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: SplitterOptions = {},
): AsyncGenerator<SourceRecord> {
  const splitter = new RecordSplitter(options);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** Bytes a UTF-8 sequence starting with `lead` has in all; 0 for a byte that starts none. */
const sequenceLength = (lead: number): number => {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
};

/** The range the second byte of a sequence may take after `lead` (no overlongs, surrogates or > U+10FFFF). */
const secondRange = (lead: number): readonly [number, number] => {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
};

/**
 * Where the first sequence of `bytes` that is not UTF-8 starts (a sequence merely cut off by
 * the end is not counted); -1 when there is none. WHATWG's decoder accepts exactly the same.
 */
export const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    const length = sequenceLength(lead);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return -1;
      const [low, high] = k === 1 ? secondRange(lead) : [0x80, 0xbf];
      const byte = bytes[i + k] as number;
      if (byte < low || byte > high) return i;
    }
    i += length;
  }
  return -1;
};

/** The sequence `bytes` ends with, when the end cuts it off (what a streaming decoder holds back). */
const cutOffEnd = (bytes: Uint8Array): Uint8Array => {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const length = sequenceLength(bytes[bytes.length - back] as number);
    if (length !== 0) return length > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
};

const notUtf8 = (offset: number, byte: number | undefined): InputError =>
  new InputError(
    byte === undefined
      ? `not UTF-8 text: it ends inside a character that starts at byte ${offset} (counted from 0)`
      : `not UTF-8 text at byte ${offset} (counted from 0): 0x${byte.toString(16).padStart(2, '0')}`,
  );

/**
 * The text of a stream of bytes, decoded as UTF-8 as it streams; `onBytes` hears how far it
 * has got. Bytes that are not UTF-8 are an InputError naming the offset of the first one.
 */
export async function* decodeUtf8(
  chunks: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void = () => undefined,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let done = 0;
  // The start of a character the last chunk cut off, which the decoder holds back.
  let held: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    // Only a chunk of under 3 bytes can end inside a character that started before it.
    const joined = chunk.length >= 3 || held.length === 0 ? undefined : Buffer.concat([held, chunk]);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const all = joined ?? Buffer.concat([held, chunk]);
      const at = Math.max(0, firstInvalidUtf8(all));
      throw notUtf8(done - held.length + at, all[at]);
    }
    held = cutOffEnd(joined ?? chunk);
    done += chunk.length;
    onBytes(done);
    yield text;
  }
  try {
    yield decoder.decode();
  } catch {
    throw notUtf8(done - held.length, undefined);
  }
}
