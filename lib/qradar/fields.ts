// The QRadar `fields` grammar (contract section 4):
//   list := item ( "," item )*     item := name [ "(" list ")" ]     name := [A-Za-z0-9_]+
// with spaces and tabs allowed around names, commas and brackets.

import { echo, invalidFields } from './errors.ts';

export interface FieldNode {
  readonly name: string;
  readonly children?: FieldList;
}
export type FieldList = readonly FieldNode[];

export const MAX_FIELDS_LENGTH = 2048;
export const MAX_FIELDS_DEPTH = 8;

const BLANK = /^[ \t]*$/;

const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * The selection `raw` describes, or undefined for "all fields".
 * Throws the contract's code 31 error for anything malformed, duplicates included.
 */
export const parseFields = (raw: string): FieldList | undefined => {
  if (raw.length > MAX_FIELDS_LENGTH) {
    throw invalidFields(raw, `The value is longer than ${MAX_FIELDS_LENGTH} characters.`);
  }
  if (BLANK.test(raw)) return undefined;

  let pos = 0;
  const fail = (reason: string): never => {
    throw invalidFields(raw, reason);
  };
  const found = (): string => {
    if (pos >= raw.length) return 'the end of the value';
    const char = String.fromCodePoint(raw.codePointAt(pos) ?? 0);
    return `${JSON.stringify(char)} at position ${pos + 1}`;
  };
  const skipBlanks = (): void => {
    while (raw[pos] === ' ' || raw[pos] === '\t') pos++;
  };

  const list = (depth: number): FieldNode[] => {
    if (depth > MAX_FIELDS_DEPTH) fail(`Fields are nested deeper than ${MAX_FIELDS_DEPTH} levels.`);
    const items: FieldNode[] = [];
    const seen = new Set<string>();
    for (;;) {
      skipBlanks();
      const start = pos;
      while (pos < raw.length && isNameChar(raw.charCodeAt(pos))) pos++;
      if (pos === start) fail(`Expected a field name but found ${found()}.`);
      const name = raw.slice(start, pos);
      if (seen.has(name)) {
        fail(`Specified field "${echo(name)}" was used more than once at the same level`);
      }
      seen.add(name);
      skipBlanks();
      if (raw[pos] === '(') {
        pos++;
        const children = list(depth + 1);
        if (raw[pos] !== ')') fail(`Expected "," or ")" but found ${found()}.`);
        pos++;
        skipBlanks();
        items.push({ name, children });
      } else {
        items.push({ name });
      }
      if (raw[pos] !== ',') return items;
      pos++;
    }
  };

  const fields = list(1);
  if (pos < raw.length) fail(`Expected "," but found ${found()}.`);
  return fields;
};

/** The canonical text of a selection: parseFields(printFields(x)) equals x. */
export const printFields = (fields: FieldList): string =>
  fields.map(({ name, children }) => (children ? `${name}(${printFields(children)})` : name)).join(',');
