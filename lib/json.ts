// JSON with exact 64-bit integers: bigint values become raw JSON numbers with every digit.

/** `value` with each bigint replaced by JSON.rawJSON, ready for JSON.stringify. */
export const toWire = (value: unknown): unknown => {
  if (typeof value === 'bigint') return JSON.rawJSON(value.toString());
  if (Array.isArray(value)) return value.map(toWire);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, inner] of Object.entries(value)) out[key] = toWire(inner);
  return out;
};

export const toJsonText = (value: unknown): string => JSON.stringify(toWire(value));
