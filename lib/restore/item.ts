// A restore as QRadar writes it in JSON (section 3) and as the table holds it (section 9), each
// way. Whatever writes restores (the import, the local seeding) maps them here, and every
// item it makes passes the read path's own checkRestore before it is written.

import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { echo } from '../qradar/errors.ts';
import { RESTORE_FIELDS, type Restore } from './fields.ts';
import { checkRestore, RecordError } from './restore.ts';

const restoreFields: ReadonlySet<string> = new Set(RESTORE_FIELDS);

/** A JSON value as parseExact reads it: Longs are bigint. Anything else is left for the checker. */
const toAttribute = (value: unknown): unknown => {
  if (typeof value === 'bigint') return new NumberValue(value.toString());
  if (Array.isArray(value)) return value.map(toAttribute);
  return value;
};

/**
 * The section 9 item for a QRadar restore object whose Longs are bigint (as parseExact reads
 * them): a Long becomes a Number (NumberValue, so every digit is kept), `groups` a List of
 * Strings, and a null field is left out (section 9 reads an absent attribute as null).
 * Throws RecordError when the object is not a restore: not an object, a field section 3
 * does not name (QRadar's own list holds exactly those), no `id` (the table's key), or
 * whatever checkRestore refuses.
 */
export const restoreToItem = (restore: unknown): Record<string, unknown> => {
  if (restore === null || typeof restore !== 'object' || Array.isArray(restore)) {
    throw new RecordError('not a JSON object');
  }
  const item: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(restore)) {
    if (!restoreFields.has(field)) throw new RecordError(`"${echo(field)}" is not a restore field`);
    if (value !== null) item[field] = toAttribute(value);
  }
  if (item['id'] === undefined) throw new RecordError('id is missing: it is the table key');
  checkRestore(item);
  return item;
};

const NULLS = Object.fromEntries(RESTORE_FIELDS.map((field) => [field, null])) as unknown as Restore;

/** The restore an item holds, every section 3 field present (null where absent), Longs bigint. */
export const restoreFromItem = (item: Readonly<Record<string, unknown>>): Restore => ({
  ...NULLS,
  ...checkRestore(item),
});

const INTEGER = /^-?[0-9]+$/;

/** A Number's value as text in one spelling, so 007 and 7 compare equal, as DynamoDB has them. */
const numberText = (value: NumberValue): string =>
  INTEGER.test(value.value) ? BigInt(value.value).toString() : value.value;

const sameValue = (a: unknown, b: unknown): boolean => {
  if (a instanceof NumberValue && b instanceof NumberValue) return numberText(a) === numberText(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  // Strings, booleans, null. A String Set, a Map or Binary never equals what restoreToItem makes.
  return a === b;
};

/**
 * The attributes a put of `item` would change in `stored` (as read with numbers wrapped), in
 * field order and then the rest; empty when the put would leave the stored item as it is.
 */
export const changedAttributes = (
  stored: Readonly<Record<string, unknown>>,
  item: Readonly<Record<string, unknown>>,
): string[] => {
  const names = new Set([...RESTORE_FIELDS, ...Object.keys(stored), ...Object.keys(item)]);
  return [...names].filter((name) => !sameValue(stored[name], item[name]));
};
