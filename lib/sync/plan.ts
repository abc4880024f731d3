// What one sync pass does to the table (contract section 14), decided without touching anything:
// the console's list against the table's items → the writes, the unchanged, the stale, and
// the deletions (or their refusal). Pure, so every rule is a property test away.

import { changedAttributes } from '../restore/item.ts';
import { movesBackwards } from '../restore/lifecycle.ts';

type Item = Record<string, unknown>;

/** The attribute that marks an item as a console's own: its origin. */
export const CONSOLE_ATTRIBUTE = 'console';

export interface PlanInput {
  /** The console's origin (https://host[:port]), written on every item the pass writes. */
  readonly origin: string;
  /** The console's checked restores, by id (decimal text); for an id listed twice, the last. */
  readonly listed: ReadonlyMap<string, Item>;
  /** Ids of records the console listed that were rejected: listed all the same, never deleted. */
  readonly rejectedIds: ReadonlySet<string>;
  /** Rejected records whose id could not be read: any stored item may be one of them. */
  readonly unidentified: number;
  /** True once the console's whole list was read: only then may anything be deleted. */
  readonly complete: boolean;
  /** The table's items (the 13 fields and `console`), by id. */
  readonly stored: ReadonlyMap<string, Item>;
}

export interface Plan {
  /** Items to put, each carrying `console`. */
  readonly writes: Item[];
  /** For each write: new, or the attributes it changes. */
  readonly changes: ReadonlyMap<string, 'new' | readonly string[]>;
  readonly unchanged: number;
  /** Ids the table holds further on in the lifecycle: not written. */
  readonly stale: string[];
  /** Ids to delete: this console's items it no longer lists. */
  readonly deletions: string[];
  /** Deletions the guard refused (all of them, when it refuses). */
  readonly refused: number;
  /** Why no deletion was considered at all (the list was not read whole), if so. */
  readonly held?: string;
  /** S: this console's items in the table before the pass. */
  readonly owned: number;
}

/**
 * The guard against emptying the table: with S this console's items and D the deletions, it
 * refuses when D > 1 and 2·D > S, or when the console answered an empty list while S > 0.
 */
export const refusesDeletions = (deletions: number, owned: number, emptyAnswer: boolean): boolean =>
  (deletions > 1 && 2 * deletions > owned) || (emptyAnswer && owned > 0);

export const planPass = (input: PlanInput): Plan => {
  const { origin, listed, stored } = input;
  const writes: Item[] = [];
  const changes = new Map<string, 'new' | readonly string[]>();
  const stale: string[] = [];
  let unchanged = 0;
  for (const [id, restore] of listed) {
    const item: Item = { ...restore, [CONSOLE_ATTRIBUTE]: origin };
    const before = stored.get(id);
    if (before === undefined) {
      writes.push(item);
      changes.set(id, 'new');
      continue;
    }
    const change = changedAttributes(before, item);
    if (change.length === 0) unchanged++;
    else if (movesBackwards(before['status'], item['status'])) stale.push(id);
    else {
      writes.push(item);
      changes.set(id, change);
    }
  }

  const mine = [...stored].filter(([, item]) => item[CONSOLE_ATTRIBUTE] === origin).map(([id]) => id);
  const owned = mine.length;
  const base = { writes, changes, unchanged, stale, owned };
  if (!input.complete) {
    return { ...base, deletions: [], refused: 0, held: "the console's list was not read whole" };
  }
  if (input.unidentified > 0) {
    return { ...base, deletions: [], refused: 0, held: 'a rejected record has no id that can be read' };
  }
  const gone = mine.filter((id) => !listed.has(id) && !input.rejectedIds.has(id));
  const emptyAnswer = listed.size + input.rejectedIds.size === 0;
  if (refusesDeletions(gone.length, owned, emptyAnswer)) {
    return { ...base, deletions: [], refused: gone.length };
  }
  return { ...base, deletions: gone, refused: 0 };
};
