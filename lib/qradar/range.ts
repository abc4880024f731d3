// QRadar's `Range: items=x-y` request header on lists (contract 11.4): zero-based and inclusive,
// answered with `Content-Range: items x-y/TOTAL`.

import { malformedRange, negativeRange } from './errors.ts';
import { compareDigits, withoutBlanks, withoutLeadingZeros } from './text.ts';

export interface ItemRange {
  /** Zero-based index of the first item asked for. */
  readonly first: number;
  /** Zero-based index of the last item asked for, at least `first`. */
  readonly last: number;
}

export interface Slice<T> {
  readonly items: T[];
  /** The value of the response's Content-Range header. */
  readonly contentRange: string;
}

// Exactly QRadar's pattern: the unit is lower-case `items`, no blanks inside.
const RANGE = /^items=([0-9]+)-([0-9]+)$/;

/** An index as a number, capped at Number.MAX_SAFE_INTEGER: no list is that long. */
const bounded = (digits: string): number =>
  digits.length > 16 ? Number.MAX_SAFE_INTEGER : Math.min(Number(digits), Number.MAX_SAFE_INTEGER);

/**
 * The range a `Range` header asks for; undefined when there is none. Spaces and tabs around
 * the value are ignored, anything else that is not `items=x-y` is code 36, and so is y below
 * x. Indexes beyond Number.MAX_SAFE_INTEGER are read as it: no list is that long, so the
 * answer is the same, and y is compared with x exactly before that.
 */
export const parseRange = (raw: string | undefined): ItemRange | undefined => {
  if (raw === undefined) return undefined;
  const match = RANGE.exec(withoutBlanks(raw));
  if (match === null) throw malformedRange();
  const first = withoutLeadingZeros(match[1] ?? '');
  const last = withoutLeadingZeros(match[2] ?? '');
  if (compareDigits(last, first) < 0) throw negativeRange();
  return { first: bounded(first), last: bounded(last) };
};

/**
 * The part of `list` a range asks for, with its Content-Range: the whole list without a
 * range, the range's items with y capped at the last item, none when x is past the end.
 */
export const sliceList = <T>(list: readonly T[], range: ItemRange | undefined): Slice<T> => {
  const total = list.length;
  const first = range?.first ?? 0;
  if (first >= total) return { items: [], contentRange: `items */${total}` };
  const last = Math.min(range?.last ?? total - 1, total - 1);
  return { items: list.slice(first, last + 1), contentRange: `items ${first}-${last}/${total}` };
};
