// PutEvents for one batch of announcements: at most 10 entries a call (EventBridge's limit),
// the SDK retrying a whole call that is throttled or fails, and every entry EventBridge
// refuses on its own (FailedEntryCount) sent again with backoff while the deadline allows.
// What still fails is handed back by index: the caller has Lambda retry those records.

import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { EventsConfig } from './config.ts';

/** EventBridge takes at most 10 entries in one PutEvents call. */
export const ENTRIES_PER_CALL = 10;

/** Each attempt: 1 s to connect, 3 s for the answer; the SDK tries a call at most 3 times. */
const CLIENT_LIMITS = { maxAttempts: 3, connectionTimeout: 1000, requestTimeout: 3000 } as const;

export const createEventsClient = (config: EventsConfig): EventBridgeClient =>
  new EventBridgeClient({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    maxAttempts: CLIENT_LIMITS.maxAttempts,
    requestHandler: {
      connectionTimeout: CLIENT_LIMITS.connectionTimeout,
      requestTimeout: CLIENT_LIMITS.requestTimeout,
      // Without it a request past requestTimeout only logs a warning and hangs on.
      throwOnRequestTimeout: true,
    },
  });

/** What a PutEvents client needs to be here: send (the EventBridgeClient, or a test's). */
export type EventsSender = Pick<EventBridgeClient, 'send'>;

export interface PublishOptions {
  /** When publishing must have ended (Date.now() milliseconds). */
  readonly deadline: number;
  /** Rounds of calls, the first included. */
  readonly rounds?: number;
  /** The first backoff's ceiling; each round doubles it (full jitter). */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface PublishResult {
  /** The indexes of the entries that were not published. */
  readonly failed: ReadonlySet<number>;
  /** How many entries ended on each error code (the last one each got). */
  readonly errors: Readonly<Record<string, number>>;
  /** PutEvents calls made (the SDK's own retries not counted). */
  readonly calls: number;
}

const DEFAULT_ROUNDS = 4;
const DEFAULT_BASE_DELAY_MS = 100;
/** No new round that would leave a call less than this before the deadline. */
const MIN_CALL_MS = 1000;
/** An error code as EventBridge writes one; anything else (a stand-in, a proxy) is not echoed. */
const ERROR_CODE = /^[A-Za-z0-9._:-]{1,64}$/;

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

const codeOf = (value: unknown): string =>
  typeof value === 'string' && ERROR_CODE.test(value) ? value : 'Unknown';

/** Each entry's error code, or undefined where it was published; answers are checked, not trusted. */
const outcomesOf = (
  entries: readonly PutEventsResultEntry[] | undefined,
  count: number,
): (string | undefined)[] => {
  // One result per entry, in order, is what the API promises; anything else fails them all.
  if (!Array.isArray(entries) || entries.length !== count) return new Array(count).fill('MalformedResponse');
  return entries.map((entry) =>
    entry?.ErrorCode === undefined && typeof entry?.EventId === 'string' && entry.EventId !== ''
      ? undefined
      : codeOf(entry?.ErrorCode),
  );
};

/** One PutEvents call: each entry's error code, or undefined where it was published. */
const putChunk = async (
  client: EventsSender,
  entries: readonly PutEventsRequestEntry[],
  deadline: number,
): Promise<(string | undefined)[]> => {
  const signal = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  try {
    // The signal aborts the SDK's request; the race ends the wait even if a call ignores it.
    const answer = await Promise.race([
      client.send(new PutEventsCommand({ Entries: [...entries] }), { abortSignal: signal }),
      untilAborted(signal),
    ]);
    return outcomesOf(answer?.Entries, entries.length);
  } catch (error) {
    // The whole call failed after the SDK's retries (or at the deadline): every entry in it.
    return new Array(entries.length).fill(codeOf(error instanceof Error ? error.name : undefined));
  }
};

/** Publishes `entries`; never throws. */
export const publishEntries = async (
  client: EventsSender,
  entries: readonly PutEventsRequestEntry[],
  options: PublishOptions,
): Promise<PublishResult> => {
  const { deadline } = options;
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const sleep = options.sleep ?? sleepFor;
  const random = options.random ?? Math.random;
  const lastError = new Map<number, string>();
  let pending = entries.map((_, index) => index);
  let calls = 0;
  for (let round = 0; pending.length > 0 && round < rounds; round += 1) {
    if (round > 0) {
      const delay = Math.floor(random() * baseDelayMs * 2 ** (round - 1));
      if (Date.now() + delay + MIN_CALL_MS > deadline) break;
      await sleep(delay);
    }
    const chunks: number[][] = [];
    for (let i = 0; i < pending.length; i += ENTRIES_PER_CALL)
      chunks.push(pending.slice(i, i + ENTRIES_PER_CALL));
    calls += chunks.length;
    const answers = await Promise.all(
      chunks.map((chunk) =>
        putChunk(
          client,
          chunk.map((index) => entries[index] as PutEventsRequestEntry),
          deadline,
        ),
      ),
    );
    const again: number[] = [];
    chunks.forEach((chunk, c) => {
      chunk.forEach((index, i) => {
        const code = answers[c]?.[i];
        if (code === undefined) lastError.delete(index);
        else {
          lastError.set(index, code);
          again.push(index);
        }
      });
    });
    pending = again;
  }
  const errors: Record<string, number> = {};
  for (const index of pending) {
    const code = lastError.get(index) ?? 'Unknown';
    errors[code] = (errors[code] ?? 0) + 1;
  }
  return { failed: new Set(pending), errors, calls };
};
