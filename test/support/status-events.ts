// Restore Status Changed events as EventBridge delivers them to a target (the envelope around
// the publisher's detail), and SQS messages holding them, for the consumer's tests.

/** A PutEvents entry as the SDK takes it (Time a Date) or as it reaches the wire (epoch seconds). */
interface Entry {
  readonly Source?: string | undefined;
  readonly DetailType?: string | undefined;
  readonly Detail?: string | undefined;
  readonly Time?: Date | number | undefined;
}

const dateOf = (time: Date | number | undefined): Date =>
  time === undefined
    ? new Date('2026-01-01T00:00:00Z')
    : typeof time === 'number'
      ? new Date(time * 1000)
      : time;

/** The event EventBridge would deliver for one PutEvents entry (its envelope, as the docs give it). */
export const deliveredEvent = (entry: Entry, eventId = 'b1c2d3e4-0000-4000-8000-000000000001') => ({
  version: '0',
  id: eventId,
  'detail-type': entry.DetailType,
  source: entry.Source,
  account: '123456789012',
  time: dateOf(entry.Time)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z'),
  region: 'us-east-1',
  resources: [],
  detail: JSON.parse(String(entry.Detail)) as unknown,
});

/** An SQS batch whose messages hold `bodies`, message ids m0, m1, ... */
export const sqsBatch = (...bodies: unknown[]) => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, receiptHandle: `r${i}`, body })),
});
