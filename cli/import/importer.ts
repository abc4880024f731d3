// Records in, table items out. Each record is checked by checkRecord (exact Longs, the read
// path's own checkRestore, the item size limit); the good ones go on in chunks of up to
// 100: the items stored under their ids are read (BatchGetItem), and only those a put would
// change are written, each by a PutItem whose condition keeps the lifecycle forward (spec
// section 14; `force` drops it). So the same input twice writes nothing the second time, an
// older export never moves a restore back, and a dry run can say what would change.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { checkRecord, whereOf } from '../../lib/qradar-console/check.ts';
import type { SourceRecord } from '../../lib/qradar-console/records.ts';
import { changedAttributes } from '../../lib/restore/item.ts';
import { movesBackwards } from '../../lib/restore/lifecycle.ts';
import { READ_BATCH, type RetryOptions, readItems } from '../../lib/store/batches.ts';
import { putRestores, type WriteLimits } from '../../lib/store/restore-writes.ts';

export interface Counts {
  read: number;
  written: number;
  unchanged: number;
  rejected: number;
  /** Not written: the table holds the restore further on in its lifecycle. */
  stale: number;
  /** Written with `force` although the table held the restore further on. */
  forced: number;
  /** Checked but neither found unchanged nor written: the store failed, or the input broke off. */
  unwritten: number;
  /** Dry run: what would have been written. */
  wouldWrite: number;
}

export interface ImportTarget {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  readonly dryRun: boolean;
  /** Write even what would move a restore backwards in its lifecycle. */
  readonly force?: boolean;
  /** Retries of the reads; `writes` of the puts (per chunk's deadline). */
  readonly retry?: RetryOptions;
  readonly writes?: Omit<WriteLimits, 'deadline'>;
}

export interface ImportEvents {
  /** A record refused, and why; `where` names its position (and line, and id when known). */
  rejected?(where: string, reason: string): void;
  /** A record not written because the table holds its restore further on (`forced`: written all the same). */
  stale?(id: string, stored: unknown, status: unknown, forced: boolean): void;
  /** Dry run: a record that would be written, new or with the attributes it would change. */
  wouldWrite?(id: string, change: 'new' | readonly string[]): void;
  /** After each record read and each chunk done. */
  progress?(counts: Readonly<Counts>): void;
}

export interface ImportOutcome {
  readonly counts: Counts;
  /** Why the import stopped before the input's end (a broken input, a store failure). */
  readonly error?: unknown;
}

const keyText = (item: Record<string, unknown>): string => BigInt(String(item['id'])).toString();

/** Chunks read, checked and written at once: reading and checking overlap the store's work. */
const CHUNKS_IN_FLIGHT = 3;

export const importRecords = async (
  records: AsyncIterable<SourceRecord>,
  target: ImportTarget,
  events: ImportEvents = {},
): Promise<ImportOutcome> => {
  const counts: Counts = {
    read: 0,
    written: 0,
    unchanged: 0,
    rejected: 0,
    stale: 0,
    forced: 0,
    unwritten: 0,
    wouldWrite: 0,
  };
  // The chunk being gathered, by id: one id appears once per chunk (both batch calls refuse
  // duplicate keys); a later record with the same id waits for the next chunk, so it wins.
  const chunk = new Map<string, Record<string, unknown>>();

  /** Reads what the table holds under the chunk's ids and writes what would change. */
  const store = async (items: Record<string, unknown>[]): Promise<void> => {
    const keys = items.map((item) => ({ id: item['id'] }));
    const found = await readItems(target.client, target.table, keys, target.retry);
    const stored = new Map(found.map((item) => [keyText(item), item]));
    const changed: Record<string, unknown>[] = [];
    const forced = new Set<string>();
    for (const item of items) {
      const before = stored.get(keyText(item));
      const change = before === undefined ? 'new' : changedAttributes(before, item);
      if (change !== 'new' && change.length === 0) {
        counts.unchanged++;
        continue;
      }
      if (before !== undefined && movesBackwards(before['status'], item['status'])) {
        events.stale?.(keyText(item), before['status'], item['status'], target.force === true);
        if (!target.force) {
          counts.stale++;
          continue;
        }
        forced.add(keyText(item));
      }
      changed.push(item);
      if (target.dryRun) events.wouldWrite?.(keyText(item), change);
    }
    if (target.dryRun) {
      counts.wouldWrite += changed.length;
      counts.forced += forced.size;
      return;
    }
    const outcome = await putRestores(target.client, target.table, changed, {
      ...target.writes,
      ...(target.retry?.random === undefined ? {} : { random: target.retry.random }),
      deadline: Date.now() + (target.retry?.retryForMs ?? 60_000),
      force: target.force === true,
      onItem: (item, fate) => {
        if (fate === 'written') {
          counts.written++;
          if (forced.has(keyText(item))) counts.forced++;
        } else {
          // Moved on by another writer since it was read: the condition kept it.
          counts.stale++;
          events.stale?.(keyText(item), undefined, item['status'], false);
        }
      },
    });
    if (outcome.error !== undefined) throw outcome.error;
  };

  // Chunks being stored. A dry run takes one at a time, so it reports in the input's order.
  const depth = target.dryRun ? 1 : CHUNKS_IN_FLIGHT;
  const flying: { readonly ids: ReadonlySet<string>; readonly done: Promise<void> }[] = [];
  let failure: { error: unknown } | undefined;

  const flush = async (): Promise<void> => {
    const items = [...chunk.values()];
    const ids = new Set(chunk.keys());
    // Wait for room, and for any chunk still writing one of these ids: the later record wins.
    while (flying.length >= depth || flying.some((f) => [...ids].some((id) => f.ids.has(id)))) {
      await flying[0]?.done;
    }
    if (failure !== undefined) throw failure.error;
    chunk.clear();
    if (items.length === 0) return;
    const entry = {
      ids,
      done: store(items)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => flying.splice(flying.indexOf(entry), 1)),
    };
    flying.push(entry);
  };

  /** Every chunk stored; throws the first store failure. */
  const drain = async (): Promise<void> => {
    await flush();
    while (flying.length > 0) await flying[0]?.done;
    if (failure !== undefined) throw failure.error;
  };

  const iterator = records[Symbol.asyncIterator]();
  let stopped: { error: unknown } | undefined;
  try {
    for (;;) {
      let next: IteratorResult<SourceRecord>;
      try {
        next = await iterator.next();
      } catch (error) {
        // The input broke off: what came before it is still written.
        stopped = { error };
        break;
      }
      if (next.done) break;
      const record = next.value;
      counts.read++;
      const result = checkRecord(record);
      if ('reason' in result) {
        counts.rejected++;
        events.rejected?.(whereOf(record, result.id), result.reason);
      } else {
        const key = keyText(result.item);
        if (chunk.has(key) || chunk.size >= READ_BATCH) await flush();
        chunk.set(key, result.item);
      }
      events.progress?.(counts);
    }
    await drain();
  } catch (error) {
    // A store failure: let the chunks still in flight end, and read no further.
    while (flying.length > 0) await flying[0]?.done;
    await iterator.return?.();
    stopped ??= { error };
  }
  // Whatever was read and neither rejected nor found or put in the table is left unwritten:
  // counted so, the summary accounts for every record read.
  counts.unwritten =
    counts.read - counts.rejected - counts.unchanged - counts.stale - counts.written - counts.wouldWrite;
  events.progress?.(counts);
  return stopped === undefined ? { counts } : { counts, error: stopped.error };
};
