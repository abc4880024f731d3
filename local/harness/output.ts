// What a handler writes while it runs: the records it hands to console (a JSON line locally,
// an object under Lambda's JSON log format) and the lines it writes to stdout (the metrics).
// A plain wrapper rather than vi.spyOn, so that `npm run fuzz` can use it outside vitest.

const LEVELS = ['debug', 'info', 'warn', 'error', 'log'] as const;
type ConsoleLevel = (typeof LEVELS)[number];

export interface ConsoleRecord {
  readonly level: ConsoleLevel;
  /** The arguments as passed: a string, or the object the runtime would serialize. */
  readonly args: readonly unknown[];
}

export interface Output<T> {
  readonly outcome: PromiseSettledResult<T>;
  readonly console: readonly ConsoleRecord[];
  /** Each line written to process.stdout, without its newline. */
  readonly stdout: readonly string[];
}

/** Runs `run` with console and process.stdout captured (and silenced), then puts both back. */
export const captureOutput = async <T>(run: () => Promise<T>): Promise<Output<T>> => {
  const records: ConsoleRecord[] = [];
  const stdout: string[] = [];
  const originals = LEVELS.map((level) => [level, console[level]] as const);
  const write = process.stdout.write;
  for (const level of LEVELS) console[level] = (...args: unknown[]) => records.push({ level, args });
  process.stdout.write = ((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    stdout.push(...text.split('\n').filter((line) => line !== ''));
    return true;
  }) as typeof process.stdout.write;
  try {
    let outcome: PromiseSettledResult<T>;
    try {
      outcome = { status: 'fulfilled', value: await run() };
    } catch (reason) {
      outcome = { status: 'rejected', reason };
    }
    return { outcome, console: records, stdout };
  } finally {
    for (const [level, original] of originals) console[level] = original;
    process.stdout.write = write;
  }
};

/** Every record and line as the log would hold it: strings as written, objects as JSON. */
export const outputLines = (output: Output<unknown>): string[] => [
  ...output.console.map(({ args }) =>
    args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '),
  ),
  ...output.stdout,
];

/** The value `run` resolved to; throws what it threw. */
export const settledValue = <T>({ outcome }: Output<T>): T => {
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
};
