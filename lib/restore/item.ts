// A restore as QRadar writes it in JSON (section 3) and as the table holds it (section 9), each
// way. Whatever writes restores (the import, the local seeding) maps them here, and every
// item it makes passes the read path's own checkRestore before it is written.

import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { echo } from '../qradar/errors.ts';
import { RESTORE_FIELDS, type Restore } from './fields.ts';
import { checkRestore, RecordError } from './restore.ts';

const restoreFields: ReadonlySet<string> = new Set(RESTORE_FIELDS);

/** DynamoDB's item size limit (names and values), 400 KB. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** Room kept for the `console` attribute a sync adds (its origin is at most 500 characters). */
const CONSOLE_RESERVE_BYTES = 600;
const MAX_RESTORE_BYTES = MAX_ITEM_BYTES - CONSOLE_RESERVE_BYTES;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** A Number's size as DynamoDB counts it: a byte per two significant digits, plus one. */
const numberBytes = (text: string): number => {
  const digits = text.replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
};

const valueBytes = (value: unknown): number => {
  if (typeof value === 'string') return utf8Bytes(value);
  if (value instanceof NumberValue) return numberBytes(value.value);
  if (typeof value === 'bigint' || typeof value === 'number') return numberBytes(String(value));
  // A List: 3 bytes, and a byte for each element beside its own size.
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueBytes(v), 0);
  return 1; // Boolean, Null
};

/** An item's size as DynamoDB counts it against its 400 KB limit: names and values. */
export const itemBytes = (item: Readonly<Record<string, unknown>>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8Bytes(name) + valueBytes(value), 0);

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
 * does not name (QRadar's own list holds exactly those), no `id` (the table's key), an item
 * DynamoDB would refuse as over 400 KB, or whatever checkRestore refuses.
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
  const size = itemBytes(item);
  if (size > MAX_RESTORE_BYTES) {
    throw new RecordError(`the item would be ${size} bytes, over DynamoDB's 400 KB item limit`);
  }
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
