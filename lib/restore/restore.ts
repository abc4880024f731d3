// The check every restore item read passes (contract section 3); the fields themselves are in fields.ts.

// From util-dynamodb, which lib-dynamodb re-exports it from: a reader of stream images needs no client.
import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import { isLong } from '../qradar/long.ts';
import type { Shape } from '../qradar/projection.ts';
import {
  FIELD_TYPES,
  RESTORE_FIELDS,
  RESTORE_GROUPS,
  RESTORE_STATUSES,
  type Restore,
  type RestoreFieldType,
} from './fields.ts';

export class RecordError extends Error {
  override readonly name = 'RecordError';
}

type Check = (value: unknown, field: string) => unknown;

const INTEGER = /^-?[0-9]+$/;
const statuses: ReadonlySet<unknown> = new Set(RESTORE_STATUSES);
const groups: ReadonlySet<unknown> = new Set(RESTORE_GROUPS);

const long: Check = (value, field) => {
  // Numbers arrive wrapped (wrapNumbers), so their text is still exact here.
  if (value instanceof NumberValue && INTEGER.test(value.value)) {
    const n = BigInt(value.value);
    if (isLong(n)) return n;
  }
  throw new RecordError(`${field} is not a Long`);
};
const ofType =
  (type: 'string' | 'boolean'): Check =>
  (value, field) => {
    if (typeof value === type) return value;
    throw new RecordError(`${field} is not a ${type}`);
  };
const oneOf =
  (allowed: ReadonlySet<unknown>): Check =>
  (value, field) => {
    if (allowed.has(value)) return value;
    throw new RecordError(`${field} is not one of its enum values`);
  };
const groupList: Check = (value, field) => {
  // A List of Strings, or a String Set (unmarshalled to a Set); a subset, so no repeats.
  if (Array.isArray(value) || value instanceof Set) {
    const list = [...value];
    if (list.every((g) => groups.has(g)) && new Set(list).size === list.length) return list;
  }
  throw new RecordError(`${field} is not a set of backup groups`);
};

const checkOf: { readonly [T in RestoreFieldType]: Check } = {
  Long: long,
  String: ofType('string'),
  Boolean: ofType('boolean'),
  RestoreStatus: oneOf(statuses),
  BackupType: oneOf(new Set(['CONFIG'])),
  RestoreGroups: groupList,
};

/** Every restore field is a leaf: none has subfields. */
export const RESTORE_SHAPE: Shape = Object.fromEntries(RESTORE_FIELDS.map((f) => [f, null]));

/**
 * The restore fields `item` holds, each checked against section 3; attributes that are not
 * restore fields are dropped. Throws RecordError naming the first field that breaks the spec.
 */
export const checkRestore = (item: Readonly<Record<string, unknown>>): Partial<Restore> => {
  const restore: Record<string, unknown> = {};
  for (const field of RESTORE_FIELDS) {
    const value = item[field];
    if (value === undefined) continue;
    restore[field] = value === null ? null : checkOf[FIELD_TYPES[field]](value, field);
  }
  return restore as Partial<Restore>;
};
