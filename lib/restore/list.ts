// The restores list (contract section 13): filter, sort and Range over the whole table.
//
// 1. Scan, with the filter pushed down (a superset: lib/store/filter-expression.ts) and only
//    the attributes the filter and the sort need; each item is filtered again here, exactly,
//    and only its sort values and id are kept. Memory: the filtered set's sort keys.
// 2. Sort those rows (ties by id ascending), take the Range's slice.
// 3. Read the slice's records by key (BatchGetItem, only the selected attributes), check
//    each against section 3, project it, and stop where the answer would pass the size
//    bound. Memory: one slice. When the selected fields are all among the sort values, the
//    rows already hold the answer and nothing more is read.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { ArrayBodySize, MAX_BODY_BYTES } from '../http/body-size.ts';
import type { StoreStats } from '../http/event.ts';
import { listInternalError, listTooLarge } from '../qradar/errors.ts';
import type { FieldList } from '../qradar/fields.ts';
import { DecimalText, type FieldType, type Filter, type FilterShape, matches } from '../qradar/filter.ts';
import { toJsonText } from '../qradar/json.ts';
import { project } from '../qradar/projection.ts';
import type { ItemRange } from '../qradar/range.ts';
import { compareRows, type SortKey, type SortValue } from '../qradar/sort.ts';
import { AttributeNames, pushDown } from '../store/filter-expression.ts';
import { BATCH_KEYS, getItems, newReadCost, type ReadCost, scanItems } from '../store/scan.ts';
import { FIELD_TYPES, RESTORE_FIELDS, type Restore, type RestoreFieldType } from './fields.ts';
import { checkRestore, RecordError } from './restore.ts';

const FILTER_TYPES: { readonly [T in RestoreFieldType]: FieldType } = {
  Long: 'number',
  String: 'string',
  Boolean: 'boolean',
  RestoreStatus: 'string',
  BackupType: 'string',
  RestoreGroups: 'list',
};

/** The fields a filter names, with the types 11.3 reads them as: status a String, groups a list. */
export const RESTORE_FILTER_SHAPE: FilterShape = Object.fromEntries(
  RESTORE_FIELDS.map((field) => [field, FILTER_TYPES[FIELD_TYPES[field]]]),
);

/** Scan segments read side by side: a large table is read in a fraction of the time. */
export const SCAN_SEGMENTS = 4;
/** BatchGetItem calls in flight at once while a slice is read. */
const GET_CONCURRENCY = 4;

export interface ListQuery {
  readonly filter: Filter | undefined;
  readonly sort: readonly SortKey[] | undefined;
  readonly range: ItemRange | undefined;
  readonly selection: FieldList;
}

export interface ListAnswer {
  /** The projected restores of the slice, in order. */
  readonly items: unknown[];
  /** How many restores the filter selects. */
  readonly total: number;
  /** The Content-Range header: which items came, of how many. */
  readonly contentRange: string;
  /** What the reads cost, for the log and the benchmark. */
  readonly cost: ReadCost & { readonly matched: number };
}

export interface ListContext {
  readonly table: string;
  readonly deadline?: number | undefined;
  readonly stats?: StoreStats | undefined;
}

const INTEGER = /^-?[0-9]+$/;

/** A scanned value as the filter reads it: a number exactly (bigint or decimal text). */
const filterValue = (raw: unknown): unknown =>
  raw instanceof NumberValue
    ? INTEGER.test(raw.value)
      ? BigInt(raw.value)
      : new DecimalText(raw.value)
    : raw;

/** A scanned item as the filter reads it. */
export const filterObject = (item: Record<string, unknown>): Record<string, unknown> => {
  const object: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(item)) object[name] = filterValue(value);
  return object;
};

const fieldsOf = (filter: Filter | undefined, into: Set<string>): Set<string> => {
  if (filter === undefined) return into;
  switch (filter.kind) {
    case 'and':
    case 'or':
      for (const operand of filter.operands) fieldsOf(operand, into);
      return into;
    case 'not':
      return fieldsOf(filter.operand, into);
    default:
      into.add(filter.field);
      return into;
  }
};

const idText = (item: Record<string, unknown>): string => {
  const id = item['id'];
  return id instanceof NumberValue ? id.value : String(id);
};

/** A field's value checked against section 3, or the list's 500 naming the restore. */
const checkedField = (item: Record<string, unknown>, field: keyof Restore): SortValue => {
  const raw = item[field];
  if (raw === undefined || raw === null) return null;
  try {
    return checkRestore({ [field]: raw })[field] as SortValue;
  } catch (error) {
    throw listInternalError(
      error instanceof RecordError ? new RecordError(`restore ${idText(item)}: ${error.message}`) : error,
    );
  }
};

/** The least bytes one projected restore can take in JSON: each value one character. */
const leastItemBytes = (selection: FieldList): number =>
  2 + selection.length - 1 + selection.reduce((sum, { name }) => sum + name.length + 4, 0);

/**
 * The list for one request. Throws the list's 500 for a record that breaks section 3 where
 * it matters, 503 for an unavailable store, and 422 code 37 for an answer without Range that
 * would pass the size bound.
 */
export const listRestores = async (
  client: DynamoDBDocumentClient,
  query: ListQuery,
  { table, deadline, stats }: ListContext,
): Promise<ListAnswer> => {
  const { filter, range, selection } = query;
  const cost = newReadCost();
  // Ties break by id ascending: paging with Range is stable.
  const keys: SortKey[] = [...(query.sort ?? [])];
  if (!keys.some((key) => key.field === 'id')) keys.push({ field: 'id', descending: false });
  const keyFields = keys.map((key) => key.field as keyof Restore);
  const idIndex = keyFields.indexOf('id');

  const names = new AttributeNames();
  const pushed = pushDown(filter, names);
  const rows: SortValue[][] = [];
  if (!pushed.nothing) {
    await scanItems(
      {
        table,
        attributes: [...fieldsOf(filter, new Set(keyFields))],
        names,
        filter: pushed,
        segments: SCAN_SEGMENTS,
        deadline,
        stats,
        cost,
      },
      client,
      (item) => {
        if (filter !== undefined && !matches(filter, filterObject(item))) return;
        rows.push(keyFields.map((field) => checkedField(item, field)));
      },
    );
  }
  rows.sort(compareRows(keys));
  const matched = rows.length;

  let total = matched;
  const first = range?.first ?? 0;
  const wanted = range === undefined ? total : range.last - range.first + 1;
  if (range === undefined && total * (leastItemBytes(selection) + 1) + 1 > MAX_BODY_BYTES) {
    throw listTooLarge(total);
  }

  const size = new ArrayBodySize();
  const items: unknown[] = [];
  let full = false;
  /** Adds a projected restore; false once the body would pass the bound. */
  const take = (restore: Partial<Restore>): boolean => {
    const projected = project(restore, selection);
    if (!size.add(toJsonText(projected))) {
      if (range === undefined) throw listTooLarge(total);
      full = true;
      return false;
    }
    items.push(projected);
    return true;
  };

  const fromRows = selection.every(({ name }) => keyFields.includes(name as keyof Restore));
  let index = first;
  while (!full && items.length < wanted && index < rows.length) {
    const batch = rows.slice(index, index + Math.min(wanted - items.length, BATCH_KEYS * GET_CONCURRENCY));
    index += batch.length;
    if (fromRows) {
      for (const row of batch) {
        const restore = Object.fromEntries(keyFields.map((field, i) => [field, row[i] ?? null]));
        if (!take(restore)) break;
      }
      continue;
    }
    const ids = batch.map((row) => row[idIndex] as bigint);
    const chunks: bigint[][] = [];
    for (let i = 0; i < ids.length; i += BATCH_KEYS) chunks.push(ids.slice(i, i + BATCH_KEYS));
    const found = await Promise.all(
      chunks.map((chunk) =>
        getItems(
          { table, ids: chunk, attributes: selection.map(({ name }) => name), deadline, stats, cost },
          client,
        ),
      ),
    );
    const records = new Map(found.flatMap((map) => [...map]));
    for (const id of ids) {
      const item = records.get(id.toString());
      // Deleted since the scan: the list is the table without it.
      if (item === undefined) {
        total--;
        continue;
      }
      let restore: Partial<Restore>;
      try {
        restore = checkRestore(item);
      } catch (error) {
        throw listInternalError(
          error instanceof RecordError ? new RecordError(`restore ${id}: ${error.message}`) : error,
        );
      }
      if (!take(restore)) break;
    }
  }

  const contentRange =
    items.length === 0 ? `items */${total}` : `items ${first}-${first + items.length - 1}/${total}`;
  return { items, total, contentRange, cost: { ...cost, matched } };
};
