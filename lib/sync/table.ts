// The table's side of a pass: every item's 13 restore fields and `console`, read with one
// paged Scan projecting only those (eventually consistent: the writes' own conditions, not
// this read, keep the lifecycle forward and deletions to the console's own items).

import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { RESTORE_FIELDS } from '../restore/fields.ts';
import { projectionOf } from '../store/read.ts';
import { CONSOLE_ATTRIBUTE } from './plan.ts';

type Item = Record<string, unknown>;

const COMPARED = [...RESTORE_FIELDS, CONSOLE_ATTRIBUTE];

export interface TableRead {
  /** Items by id (decimal text); an item whose id is not a Number is left out. */
  readonly items: Map<string, Item>;
  /** Read capacity units the scan consumed. */
  readonly readUnits: number;
}

/** Every item of `table`, by id; throws when a page cannot be read by `deadline`. */
export const readTable = async (
  client: DynamoDBDocumentClient,
  table: string,
  deadline: number,
): Promise<TableRead> => {
  const items = new Map<string, Item>();
  let readUnits = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ...projectionOf(COMPARED),
        ConsistentRead: false,
        ReturnConsumedCapacity: 'TOTAL',
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
      { abortSignal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) },
    );
    readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    for (const item of page.Items ?? []) {
      const id = item['id'] as { value?: unknown } | undefined;
      if (typeof id?.value === 'string' && /^-?[0-9]+$/.test(id.value))
        items.set(BigInt(id.value).toString(), item);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { items, readUnits };
};
