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
