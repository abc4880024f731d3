// The check every record from outside passes before it is written, an import's or a sync's:
// parsed with exact Longs, mapped and checked by restoreToItem (the read path's own
// checkRestore, and DynamoDB's item size limit). A record that fails is reported by its place
// (and line, and id when it has one) and the reason; the rest go on.

import { echo } from '../qradar/errors.ts';
import { parseExact } from '../qradar/json.ts';
import { restoreToItem } from '../restore/item.ts';
import { RecordError } from '../restore/restore.ts';
import type { SourceRecord } from './records.ts';

export type Checked =
  | { readonly item: Record<string, unknown>; readonly id: string }
  | { readonly reason: string; readonly id?: string };

/** The record's id as decimal text, when it has one that is an integer. */
const idOf = (value: unknown): string | undefined => {
  if (value === null || typeof value !== 'object' || !('id' in value)) return undefined;
  return typeof value.id === 'bigint' ? value.id.toString() : undefined;
};

/** The item for a record, or the reason it is refused. */
export const checkRecord = (record: SourceRecord): Checked => {
  if (record.text === undefined) return { reason: 'longer than any restore: not read' };
  let value: unknown;
  try {
    value = parseExact(record.text);
  } catch (error) {
    // The parser's message quotes the text: cut, as every echoed value is.
    return { reason: `not JSON: ${echo(error instanceof Error ? error.message : String(error))}` };
  }
  try {
    const item = restoreToItem(value);
    return { item, id: idOf(value) ?? String(item['id']) };
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    const id = idOf(value);
    return id === undefined ? { reason: error.message } : { id, reason: error.message };
  }
};

/** Where a record is, for a message: `record 5, line 6, id 7`. */
export const whereOf = (record: SourceRecord, id?: string): string =>
  [
    `record ${record.position}`,
    ...(record.line === undefined ? [] : [`line ${record.line}`]),
    ...(id === undefined ? [] : [`id ${id}`]),
  ].join(', ');
