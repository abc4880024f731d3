// A signed 64-bit integer read the way Java's Long.parseLong reads it (contract section 2).

export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

// Sign, leading zeros, then at most 19 significant digits: longer can't be in range,
// and the bound keeps BigInt() cheap whatever the caller sends.
const LONG_SYNTAX = /^[+-]?0*[0-9]{1,19}$/;

/** The value of `text` as a Long, or undefined when it is not one. */
export const parseLong = (text: string): bigint | undefined => {
  if (!LONG_SYNTAX.test(text)) return undefined;
  const value = BigInt(text);
  return isLong(value) ? value : undefined;
};

/** True for a bigint within the signed 64-bit range. */
export const isLong = (value: bigint): boolean => value >= LONG_MIN && value <= LONG_MAX;
