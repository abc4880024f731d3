// Header text as QRadar reads it: optional whitespace trimmed, and non-negative integers of any
// length compared as digit strings, without converting them, so no value can overflow.

/** HTTP's optional whitespace (space and tab) around a header value removed, and nothing else. */
export const withoutBlanks = (raw: string): string => {
  let start = 0;
  let end = raw.length;
  while (start < end && (raw[start] === ' ' || raw[start] === '\t')) start++;
  while (end > start && (raw[end - 1] === ' ' || raw[end - 1] === '\t')) end--;
  return raw.slice(start, end);
};

/** Decimal digits without their leading zeros: `0012` → `12`, `000` → `0`. */
export const withoutLeadingZeros = (digits: string): string => {
  let start = 0;
  while (start < digits.length - 1 && digits[start] === '0') start++;
  return digits.slice(start);
};

/** Compares two digit strings without leading zeros as integers: negative, zero or positive. */
export const compareDigits = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
