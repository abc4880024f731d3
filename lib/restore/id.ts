// The restore id as a caller sends it: a path segment, or a JSON value in an invoke payload.

import { invalidId, missingId } from '../qradar/errors.ts';
import { parseLong } from '../qradar/long.ts';

/** The id as a Long; throws code 8 when there is none and code 11 when it is not a Long. */
export const readId = (raw: unknown): bigint => {
  if (raw === undefined || raw === null) throw missingId();
  if (typeof raw === 'string') {
    const id = parseLong(raw);
    if (id === undefined) throw invalidId(raw);
    return id;
  }
  // A JSON number beyond 2^53 - 1 has already lost digits in parsing.
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return BigInt(raw);
  throw invalidId(raw);
};
