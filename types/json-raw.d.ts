// JSON.rawJSON and the reviver's `context.source` (the "JSON.parse source text access"
// proposal) ship in Node 21+ (V8) but are not yet in TypeScript's lib.
interface RawJSON {
  readonly rawJSON: string;
}

/** What JSON.parse passes a reviver beside the value: a primitive's own source text. */
interface JSONReviverContext {
  readonly source?: string;
}

interface JSON {
  rawJSON(text: string): RawJSON;
  isRawJSON(value: unknown): value is RawJSON;
  parse(
    text: string,
    reviver: (this: unknown, key: string, value: unknown, context: JSONReviverContext) => unknown,
  ): unknown;
}
