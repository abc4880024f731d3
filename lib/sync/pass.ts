// One sync pass (contract section 14), the same for `npm run sync`, `npm start` and the
// syncRestores function: read the console's whole list (each record checked as an import's)
// and the table's items at once, plan (plan.ts), then write what changed (conditional puts)
// and delete what the console no longer lists (conditional deletes), all within the pass's
// deadline. It never throws for anything the console or the table does: the summary says
// what happened and why it failed.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { printable } from '../observability/printable.ts';
import { checkRecord, whereOf } from '../qradar-console/check.ts';
import { ConsoleError, type ConsoleSource, consoleRecords, secretsOf } from '../qradar-console/reader.ts';
import { deleteConsoleRestores, putRestores, type WriteLimits } from '../store/restore-writes.ts';
import { type Plan, planPass } from './plan.ts';
import { readTable } from './table.ts';

type Item = Record<string, unknown>;

export interface PassOptions {
  /** The console to read; without a `deadline` of its own, it has 70% of the pass's time. */
  readonly console: ConsoleSource;
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  /** When the whole pass must have ended (Date.now() ms). */
  readonly deadline: number;
  /** Plan only: nothing written or deleted. */
  readonly dryRun?: boolean;
  readonly writes?: Omit<WriteLimits, 'deadline'>;
  readonly events?: PassEvents;
}

export interface PassEvents {
  /** A record refused, and why; `where` names its place and id when known. */
  rejected?(where: string, reason: string): void;
  /** Dry run: what would be written or deleted. */
  wouldWrite?(id: string, change: 'new' | readonly string[]): void;
  wouldDelete?(id: string): void;
}

export interface Summary {
  readonly origin: string;
  readonly read: number;
  readonly written: number;
  readonly unchanged: number;
  readonly stale: number;
  readonly rejected: number;
  readonly deleted: number;
  readonly deletionsRefused: number;
  readonly durationMs: number;
  /** True only when the console answered fully, nothing was rejected or refused, and every write landed. */
  readonly ok: boolean;
  /** Why it failed, one sentence each (escaped, free of secrets); empty when ok. */
  readonly reasons: readonly string[];
  /** The console's HTTP status when it refused (401, 403, 5xx...). */
  readonly consoleStatus?: number;
  readonly dryRun: boolean;
  /** Dry run: what the pass would have written and deleted. */
  readonly wouldWrite: number;
  readonly wouldDelete: number;
  /** What the pass cost: requests to the console, and DynamoDB capacity units. */
  readonly consoleRequests: number;
  readonly readUnits: number;
  readonly writeUnits: number;
}

interface ConsoleRead {
  readonly listed: Map<string, Item>;
  readonly rejectedIds: Set<string>;
  unidentified: number;
  read: number;
  rejected: number;
  requests: number;
  error?: unknown;
}

const reasonOf = (error: unknown): string =>
  printable(error instanceof Error ? error.message : String(error));

/** The console's whole list, checked; a failure is kept with what was read before it. */
const readConsole = async (source: ConsoleSource, events: PassEvents): Promise<ConsoleRead> => {
  const read: ConsoleRead = {
    listed: new Map(),
    rejectedIds: new Set(),
    unidentified: 0,
    read: 0,
    rejected: 0,
    requests: 0,
  };
  try {
    for await (const record of consoleRecords({ ...source, onPage: () => read.requests++ })) {
      read.read++;
      const checked = checkRecord(record);
      if ('reason' in checked) {
        read.rejected++;
        if (checked.id === undefined) read.unidentified++;
        else read.rejectedIds.add(checked.id);
        events.rejected?.(whereOf(record, checked.id), checked.reason);
      } else {
        // Listed twice: the later wins, as in an import.
        read.listed.delete(checked.id);
        read.listed.set(checked.id, checked.item);
      }
    }
  } catch (error) {
    read.error = error;
  }
  return read;
};

/** The share of a pass's time its console read may take. */
const READ_SHARE = 0.7;

const idText = (item: Item): string => BigInt(String(item['id'])).toString();

export const runPass = async (options: PassOptions): Promise<Summary> => {
  const started = Date.now();
  const { client, table, deadline, events = {} } = options;
  const dryRun = options.dryRun === true;
  const origin = options.console.origin;
  const reasons: string[] = [];

  // The console gets most of the time; what is left is the writes'.
  const readDeadline = options.console.deadline ?? started + Math.floor((deadline - started) * READ_SHARE);
  const [fromConsole, fromTable] = await Promise.all([
    readConsole({ ...options.console, deadline: Math.min(readDeadline, deadline) }, events),
    readTable(client, table, deadline).catch((error: unknown) => ({ error })),
  ]);
  if (fromConsole.error !== undefined) {
    const partial =
      fromConsole.read > 0
        ? ` (after ${fromConsole.read} restores: those are written, nothing is deleted)`
        : '';
    reasons.push(`the console: ${reasonOf(fromConsole.error)}${partial}`);
  }
  if (fromConsole.rejected > 0) {
    reasons.push(`${fromConsole.rejected} record${fromConsole.rejected === 1 ? '' : 's'} rejected`);
  }

  let plan: Plan | undefined;
  let written = 0;
  let deleted = 0;
  let stale = 0;
  let writeUnits = 0;
  if ('error' in fromTable) {
    // Nothing to compare with: nothing is written.
    reasons.push(`table ${table}: ${describeStoreError(fromTable.error)}`);
  } else {
    plan = planPass({
      origin,
      listed: fromConsole.listed,
      rejectedIds: fromConsole.rejectedIds,
      unidentified: fromConsole.unidentified,
      complete: fromConsole.error === undefined,
      stored: fromTable.items,
    });
    stale = plan.stale.length;
    if (plan.refused > 0) {
      reasons.push(
        `deletions refused: the console no longer lists ${plan.refused} of the ${plan.owned} restores it had in the table; ` +
          'nothing was deleted (delete by hand what should go)',
      );
    }
    if (dryRun) {
      for (const item of plan.writes)
        events.wouldWrite?.(idText(item), plan.changes.get(idText(item)) ?? 'new');
      for (const id of plan.deletions) events.wouldDelete?.(id);
    } else {
      const limits = { ...options.writes, deadline };
      const puts = await putRestores(client, table, plan.writes, limits);
      written = puts.written;
      stale += puts.stale.length;
      writeUnits += puts.writeUnits;
      if (puts.error !== undefined) {
        reasons.push(
          `table ${table}: ${puts.unwritten.length} restores left unwritten: ${describeStoreError(puts.error)}`,
        );
      } else if (plan.deletions.length > 0) {
        const gone = await deleteConsoleRestores(client, table, plan.deletions, origin, limits);
        deleted = gone.deleted;
        writeUnits += gone.writeUnits;
        if (gone.error !== undefined) {
          reasons.push(
            `table ${table}: ${gone.undone} deletions not made: ${describeStoreError(gone.error)}`,
          );
        }
      }
    }
  }

  const consoleStatus = fromConsole.error instanceof ConsoleError ? fromConsole.error.status : undefined;
  return {
    ...(consoleStatus === undefined ? {} : { consoleStatus }),
    origin,
    read: fromConsole.read,
    written,
    unchanged: plan?.unchanged ?? 0,
    stale,
    rejected: fromConsole.rejected,
    deleted,
    deletionsRefused: plan?.refused ?? 0,
    durationMs: Date.now() - started,
    ok: reasons.length === 0,
    // Whoever prints the reasons (the command, the local loop, the function's log line) can
    // never print a credential a console or a store error happened to repeat.
    reasons: reasons.map((reason) =>
      secretsOf(options.console.credentials)
        .filter((secret) => secret !== '')
        .reduce((text, secret) => text.replaceAll(secret, '[credentials]'), reason),
    ),
    dryRun,
    wouldWrite: dryRun ? (plan?.writes.length ?? 0) : 0,
    wouldDelete: dryRun ? (plan?.deletions.length ?? 0) : 0,
    consoleRequests: fromConsole.requests,
    readUnits: 'error' in fromTable ? 0 : fromTable.readUnits,
    writeUnits,
  };
};

/** A store failure in one line: the SDK's error name and message, nothing else. */
const describeStoreError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${printable(error.message)}` : printable(String(error));

/** The summary as one line for a person: counts, duration, and what went wrong. */
export const summaryLine = (summary: Summary): string =>
  `read ${summary.read}, written ${summary.written}, unchanged ${summary.unchanged}, stale ${summary.stale}, ` +
  `rejected ${summary.rejected}, deleted ${summary.deleted}, deletions refused ${summary.deletionsRefused}, ` +
  `${summary.durationMs} ms` +
  (summary.dryRun
    ? ` (dry run: ${summary.wouldWrite} would be written, ${summary.wouldDelete} deleted)`
    : '');
