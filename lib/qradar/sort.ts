// QRadar's `sort` parameter on lists (contract section 13): comma-separated fields, each prefixed
// by `+` (ascending), `-` (descending) or nothing (ascending), blanks around items ignored.
// An unencoded `+` arrives as a space, which the blanks already cover.

import { invalidSort } from './errors.ts';

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

/** What a sort compares: Longs as bigint, Strings, Booleans, and null for a value the object lacks. */
export type SortValue = bigint | string | boolean | null;

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

const trimBlanks = (text: string): string => {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text[start])) start++;
  while (end > start && isBlank(text[end - 1])) end--;
  return text.slice(start, end);
};

/**
 * The keys `raw` names, in order, or undefined for no sort (absent, empty or blank). Any other
 * field than `sortable` names, a field named twice, an empty item, a sign alone or anything
 * that is not a string (a direct invocation's payload): QRadar's code 1018, whose message
 * lists the sortable fields.
 */
export const parseSort = (raw: unknown, sortable: readonly string[]): SortKey[] | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw invalidSort(sortable);
  if (trimBlanks(raw) === '') return undefined;
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const part of raw.split(',')) {
    const item = trimBlanks(part);
    const sign = item[0];
    const descending = sign === '-';
    const field = sign === '+' || sign === '-' ? item.slice(1) : item;
    if (!sortable.includes(field) || seen.has(field)) throw invalidSort(sortable);
    seen.add(field);
    keys.push({ field, descending });
  }
  return keys;
};

/** Rank of a value's type, so that values of different types still order consistently. */
const rank = (value: SortValue): number =>
  value === null ? 0 : typeof value === 'boolean' ? 1 : typeof value === 'bigint' ? 2 : 3;

/**
 * Ascending order of two values: null before every value, false before true, Longs
 * numerically (bigint, exact), Strings by UTF-16 code units as Java's String.compareTo.
 */
export const compareValues = (a: SortValue, b: SortValue): number => {
  if (a === b) return 0;
  const byType = rank(a) - rank(b);
  if (byType !== 0) return byType;
  return (a as bigint | string | boolean) < (b as bigint | string | boolean) ? -1 : 1;
};

/**
 * The order of rows of sort values, one per key in the same order: each key ascending or
 * descending (nulls last then), the first key that differs deciding.
 */
export const compareRows =
  (keys: readonly SortKey[]) =>
  (a: readonly SortValue[], b: readonly SortValue[]): number => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareValues(a[i] ?? null, b[i] ?? null);
      if (order !== 0) return keys[i]?.descending ? -order : order;
    }
    return 0;
  };
