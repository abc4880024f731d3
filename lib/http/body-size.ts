// How large one answer may be (contract section 13): what API Gateway and Lambda can carry.
// Lambda returns at most 6 MB, and an HTTP answer's body travels as a JSON string inside
// the response object, where every `"` and `\` of the body takes one more byte. So a body
// fits when its UTF-8 bytes stay within 5 MiB AND, escaped, within 6 MB less room for the
// status and headers: for an ordinary list the first bound decides; the second lowers it
// for a body dense with quotes or backslashes.

/** The contract's bound: 5 MiB of the JSON body's UTF-8 bytes. */
export const MAX_BODY_BYTES = 5 * 2 ** 20;
/** Lambda's 6 MB (counted as 6,000,000 bytes, below 6 MiB) less 16 KiB for status and headers. */
export const MAX_ESCAPED_BODY_BYTES = 6_000_000 - 16 * 2 ** 10;

/** The quotes and backslashes of `json`: each is escaped once more inside the response. */
const escapesOf = (json: string): number => {
  let count = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) count++;
  }
  return count;
};

/** The size of a JSON array body, element by element: `[]`, then each element and its comma. */
export class ArrayBodySize {
  #bytes = 2;
  #escaped = 2;
  #count = 0;

  /** Adds an element's JSON text when the body still fits with it; false (nothing added) when not. */
  add(json: string): boolean {
    const separator = this.#count === 0 ? 0 : 1;
    const size = Buffer.byteLength(json);
    const bytes = this.#bytes + separator + size;
    const escaped = this.#escaped + separator + size + escapesOf(json);
    if (bytes > MAX_BODY_BYTES || escaped > MAX_ESCAPED_BODY_BYTES) return false;
    this.#bytes = bytes;
    this.#escaped = escaped;
    this.#count++;
    return true;
  }

  get bytes(): number {
    return this.#bytes;
  }
}
