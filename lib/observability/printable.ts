// Text from outside (a record's keys, a console's error body, a parser's quote of either) is
// printed and logged only through these: a terminal escape or a bidirectional override in it
// must reach a screen as visible text, never act; a credential it repeats is never shown.

// C0 and C1 controls, DEL, the line and paragraph separators and the bidirectional embeddings,
// overrides and isolates (which can make printed text read other than it is).
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with every control character written as a visible `\uXXXX`. */
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** True when `text` holds any of `secrets` (blank ones ignored). */
export const repeatsSecret = (text: string, secrets: readonly string[]): boolean =>
  secrets.some((secret) => secret.length > 0 && text.includes(secret));
