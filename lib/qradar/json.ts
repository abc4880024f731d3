// JSON with exact 64-bit integers: a bigint is written with every digit, never as a double.

/** `value` with each bigint replaced by JSON.rawJSON: what JSON.stringify (and so Lambda's
 * runtime, for a direct invocation's result) writes with every digit. */
export const toWire = (value: unknown): unknown => {
  if (typeof value === 'bigint') return JSON.rawJSON(value.toString());
  if (Array.isArray(value)) return value.map(toWire);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, inner] of Object.entries(value)) out[key] = toWire(inner);
  return out;
};

/**
 * JSON.stringify for plain data that may hold bigints, written directly: no copy with
 * JSON.rawJSON values first (it is on every response's path).
 */
export const toJsonText = (value: unknown): string => {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const inner: unknown = value[i];
      out += `${i === 0 ? '' : ','}${inner === undefined || typeof inner === 'function' ? 'null' : toJsonText(inner)}`;
    }
    return `${out}]`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let out = '{';
  for (const key of Object.keys(value)) {
    const inner: unknown = (value as Record<string, unknown>)[key];
    if (inner === undefined || typeof inner === 'function') continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${toJsonText(inner)}`;
  }
  return `${out}}`;
};

// JSON's own integer grammar; 20 characters hold every Long, sign included.
const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/;
const LONGEST_LONG = 20;

/**
 * JSON.parse, with each integer literal of up to 20 characters as a bigint read from its
 * source text, so no digit passes through a double. Fractions, exponents and longer
 * integers stay numbers: none of them is a Long. Throws SyntaxError for text that is not JSON.
 */
export const parseExact = (text: string): unknown =>
  JSON.parse(text, (_key, value, { source }) =>
    typeof value === 'number' &&
    source !== undefined &&
    source.length <= LONGEST_LONG &&
    INTEGER_LITERAL.test(source)
      ? BigInt(source)
      : value,
  );
