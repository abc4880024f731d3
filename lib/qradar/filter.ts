// QRadar's `filter` parameter on lists (contract section 11.3), over the top-level fields of any
// listed objects:
//   or   := and ( "or" and )*
//   and  := unary ( "and" unary )*
//   unary := "not" unary | "(" or ")" | predicate
//   predicate := field ( ("=" | "!=" | "<>" | "^=" | "<" | "<=" | ">" | ">=") value
//              | ["not"] "in" "(" value ( "," value )* ")"
//              | ["not"] "between" value "and" value
//              | "is" ["not"] "null" )
// Keywords (and the literals true and false) are case-insensitive; field names are not.
// Blanks are spaces, tabs, CR and LF.
//
// Semantics, decided here:
// - Two-valued logic: a comparison, `in` or `between` (negated or not) against a null or
//   absent field is false, so `not id = 1` holds where `id != 1` does not. A field value of
//   another type than the shape says compares like null, but is not null.
// - Numbers compare exactly, as decimals: literals as written, bigint values as they are,
//   JS numbers as the shortest decimal that reads back as them (what a JSON body shows).
// - Strings order by UTF-16 code units (JavaScript's own `<`), which is not code point order
//   for characters beyond U+FFFF, nor any locale's collation.
// - `between` is inclusive and, as in SQL, empty when its bounds are in descending order.

import { echo, invalidFilter } from './errors.ts';
import { parseLong } from './long.ts';

/** The types a literal can take: a filter compares values of these. */
export type ValueType = 'string' | 'number' | 'boolean';
/** A field's type; `list` (an array or object) can only be tested for null. */
export type FieldType = ValueType | 'list';

/** The listed objects' top-level fields that a filter may name, with their types. */
export type FilterShape = Readonly<Record<string, FieldType>>;

/** An exact decimal: coefficient × 10^-scale, scale ≥ 0, no trailing zero when scale > 0. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** A literal, already read for the type of the field it is compared with. */
export type FilterValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: Decimal }
  | { readonly type: 'boolean'; readonly value: boolean };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Filter =
  /** Two or more operands. */
  | { readonly kind: 'or'; readonly operands: readonly Filter[] }
  /** Two or more operands. */
  | { readonly kind: 'and'; readonly operands: readonly Filter[] }
  | { readonly kind: 'not'; readonly operand: Filter }
  | {
      readonly kind: 'compare';
      readonly field: string;
      readonly operator: ComparisonOperator;
      readonly value: FilterValue;
    }
  /** One or more values, all of the field's type. */
  | {
      readonly kind: 'in';
      readonly field: string;
      readonly negated: boolean;
      readonly values: readonly FilterValue[];
    }
  | {
      readonly kind: 'between';
      readonly field: string;
      readonly negated: boolean;
      readonly low: FilterValue;
      readonly high: FilterValue;
    }
  | { readonly kind: 'null'; readonly field: string; readonly negated: boolean };

export const MAX_FILTER_LENGTH = 2048;
/** Parentheses only: each opens one level of the parser's recursion (`not` does not count). */
export const MAX_FILTER_DEPTH = 16;

const BLANK = /^[ \t\r\n]*$/;
const NUMBER = /^[+-]?[0-9]+(?:\.[0-9]+)?$/;
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'between', 'is', 'null']);
const OPERATORS: Readonly<Record<string, ComparisonOperator>> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '^=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly text: string; readonly at: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** Anything but blanks, controls, quotes, brackets, commas and operator characters. */
const isWordChar = (c: number): boolean =>
  c > 0x20 &&
  c !== 0x7f &&
  c !== 0x22 && // "
  c !== 0x28 && // (
  c !== 0x29 && // )
  c !== 0x2c && // ,
  c !== 0x3d && // =
  c !== 0x21 && // !
  c !== 0x3c && // <
  c !== 0x3e && // >
  c !== 0x5e; // ^

const keywordOf = (token: Token): string | undefined => {
  if (token.kind !== 'word') return undefined;
  const lower = token.text.toLowerCase();
  return KEYWORDS.has(lower) ? lower : undefined;
};

const quote = (text: string): string => JSON.stringify(echo(text));

const describe = (token: Token): string => {
  const where = `at position ${token.at + 1}`;
  switch (token.kind) {
    case 'end':
      return 'the end of the value';
    case 'string':
      return `the string ${quote(token.text)} ${where}`;
    case 'word':
      return keywordOf(token) ? `the keyword ${quote(token.text)} ${where}` : `${quote(token.text)} ${where}`;
    case 'symbol':
      return `${quote(token.text)} ${where}`;
  }
};

const decimalOfText = (text: string): Decimal => {
  const point = text.indexOf('.');
  if (point < 0) return { coefficient: BigInt(text), scale: 0 };
  // A loop, not /0+$/: that regex is quadratic on a long run of zeros that ends otherwise.
  let end = text.length;
  while (end > point + 1 && text[end - 1] === '0') end--;
  const fraction = text.slice(point + 1, end);
  return { coefficient: BigInt(text.slice(0, point) + fraction), scale: fraction.length };
};

/**
 * The filter `raw` describes, or undefined for an empty (or all-blank) value: no filter.
 * Throws the contract's code 12 error for anything malformed, an unknown field, or an operator or
 * value that does not fit the field's type.
 */
export const parseFilter = (raw: string, shape: FilterShape): Filter | undefined => {
  if (raw.length > MAX_FILTER_LENGTH) {
    throw invalidFilter(raw, `The value is longer than ${MAX_FILTER_LENGTH} characters.`);
  }
  if (BLANK.test(raw)) return undefined;

  const fail = (reason: string): never => {
    // Reasons may open with a token's description ("the string ..."): start a sentence.
    throw invalidFilter(raw, reason.charAt(0).toUpperCase() + reason.slice(1));
  };

  let pos = 0;
  const scan = (): Token => {
    while (pos < raw.length && isBlank(raw.charCodeAt(pos))) pos++;
    const at = pos;
    if (pos >= raw.length) return { kind: 'end', at };
    const c = raw[pos];
    const next = raw[pos + 1];
    const symbol = (text: string): Token => {
      pos += text.length;
      return { kind: 'symbol', text, at };
    };
    if (c === '(' || c === ')' || c === ',' || c === '=') return symbol(c);
    if ((c === '!' || c === '^') && next === '=') return symbol(`${c}=`);
    if (c === '<') return symbol(next === '=' || next === '>' ? `<${next}` : '<');
    if (c === '>') return symbol(next === '=' ? '>=' : '>');
    if (c === '"') return { kind: 'string', text: readString(), at };
    while (pos < raw.length && isWordChar(raw.charCodeAt(pos))) pos++;
    if (pos === at) {
      const char = String.fromCodePoint(raw.codePointAt(pos) ?? 0);
      fail(`Unexpected character ${JSON.stringify(char)} at position ${pos + 1}.`);
    }
    return { kind: 'word', text: raw.slice(at, pos), at };
  };

  /** A double-quoted string from `pos`, its escapes resolved. */
  const readString = (): string => {
    const start = pos;
    pos++;
    let text = '';
    let chunk = pos;
    for (;;) {
      if (pos >= raw.length) fail(`The string starting at position ${start + 1} has no closing quote.`);
      const c = raw[pos];
      if (c === '"') {
        text += raw.slice(chunk, pos);
        pos++;
        return text;
      }
      if (c === '\\') {
        const escaped = raw[pos + 1];
        if (escaped === undefined) fail(`The string starting at position ${start + 1} has no closing quote.`);
        if (escaped !== '"' && escaped !== '\\') {
          fail(`Unknown escape at position ${pos + 1}: only \\" and \\\\ may follow a backslash.`);
        }
        text += raw.slice(chunk, pos) + escaped;
        pos += 2;
        chunk = pos;
      } else {
        pos++;
      }
    }
  };

  let current = scan();
  const advance = (): void => {
    current = scan();
  };
  const isKeyword = (keyword: string): boolean => keywordOf(current) === keyword;
  const isSymbol = (text: string): boolean => current.kind === 'symbol' && current.text === text;
  const expectSymbol = (text: string, context: string): void => {
    if (!isSymbol(text)) fail(`Expected "${text}" ${context} but found ${describe(current)}.`);
    advance();
  };

  const filterable = (): string => {
    const names = Object.keys(shape).sort();
    return names.length === 0
      ? 'no field can be filtered on'
      : `the fields a filter can name: ${names.join(', ')}`;
  };

  /** The literal at `current`, read for a field of `type`. */
  const value = (field: string, type: ValueType): FilterValue => {
    const token = current;
    const keyword = keywordOf(token);
    if (keyword !== undefined) {
      const hint = keyword === 'null' ? '"is null" tests for null' : 'quote it to compare the text';
      return fail(`Expected a value but found ${describe(token)}; ${hint}.`);
    }
    if (token.kind !== 'word' && token.kind !== 'string') {
      return fail(`Expected a value but found ${describe(token)}.`);
    }
    advance();
    const text = token.text;
    const bare = token.kind === 'word';
    switch (type) {
      case 'string':
        // Any literal compares as its source text: version=26.0 matches "26.0".
        return { type, value: text };
      case 'number':
        if (!bare || !NUMBER.test(text)) {
          return fail(`${describe(token)} is not a number, and "${field}" is a Number field.`);
        }
        if (!text.includes('.') && parseLong(text) === undefined) {
          return fail(
            `${describe(token)} is outside the 64-bit integer range of the Number field "${field}".`,
          );
        }
        return { type, value: decimalOfText(text) };
      case 'boolean': {
        const lower = text.toLowerCase();
        if (!bare || (lower !== 'true' && lower !== 'false')) {
          return fail(`${describe(token)} is not true or false, and "${field}" is a Boolean field.`);
        }
        return { type, value: lower === 'true' };
      }
    }
  };

  const notForBoolean = (field: string, type: ValueType): void => {
    if (type === 'boolean') fail(`${describe(current)} does not apply to the Boolean field "${field}".`);
  };

  const predicate = (): Filter => {
    const token = current;
    if (token.kind !== 'word' || keywordOf(token) !== undefined) {
      return fail(`Expected a field name but found ${describe(token)}.`);
    }
    const field = token.text;
    const type = Object.hasOwn(shape, field) ? shape[field] : undefined;
    if (type === undefined) {
      return fail(`${describe(token)} is not a field a filter can name (${filterable()}).`);
    }
    advance();
    if (isKeyword('is')) {
      advance();
      const negated = isKeyword('not');
      if (negated) advance();
      if (!isKeyword('null')) {
        fail(
          `Expected ${negated ? '"null"' : '"null" or "not null"'} after "is" but found ${describe(current)}.`,
        );
      }
      advance();
      return { kind: 'null', field, negated };
    }
    if (type === 'list') {
      return fail(`"${field}" holds a list: only "is null" and "is not null" apply to it.`);
    }

    const operator = current.kind === 'symbol' ? OPERATORS[current.text] : undefined;
    if (operator !== undefined) {
      if (operator !== '=' && operator !== '!=') notForBoolean(field, type);
      advance();
      return { kind: 'compare', field, operator, value: value(field, type) };
    }
    const negated = isKeyword('not');
    if (negated) {
      advance();
      if (!isKeyword('in') && !isKeyword('between')) {
        fail(`Expected "in" or "between" after "not" but found ${describe(current)}.`);
      }
    }
    if (isKeyword('in')) {
      advance();
      expectSymbol('(', 'after "in"');
      const values = [value(field, type)];
      while (isSymbol(',')) {
        advance();
        values.push(value(field, type));
      }
      expectSymbol(')', 'or ","');
      return { kind: 'in', field, negated, values };
    }
    if (isKeyword('between')) {
      notForBoolean(field, type);
      advance();
      const low = value(field, type);
      if (!isKeyword('and'))
        fail(`Expected "and" after the first value of "between" but found ${describe(current)}.`);
      advance();
      const high = value(field, type);
      return { kind: 'between', field, negated, low, high };
    }
    return fail(`Expected an operator after the field "${field}" but found ${describe(current)}.`);
  };

  // Recursion happens only through brackets, each of which spends one level of `depth`: no
  // input can take the stack deeper than MAX_FILTER_DEPTH of them. A run of `not` is read in
  // a loop (and bounded by the length), so it spends none: the limit is on parentheses.
  const enter = (depth: number): number => {
    if (depth >= MAX_FILTER_DEPTH) {
      fail(`Brackets are nested deeper than ${MAX_FILTER_DEPTH} levels at position ${current.at + 1}.`);
    }
    advance();
    return depth + 1;
  };

  const unary = (depth: number): Filter => {
    let nots = 0;
    while (isKeyword('not')) {
      advance();
      nots++;
    }
    let operand: Filter;
    if (isSymbol('(')) {
      const open = current.at;
      operand = disjunction(enter(depth));
      if (!isSymbol(')')) {
        fail(
          `Expected "and", "or" or ")" closing the bracket at position ${open + 1} but found ${describe(current)}.`,
        );
      }
      advance();
    } else {
      operand = predicate();
    }
    for (; nots > 0; nots--) operand = { kind: 'not', operand };
    return operand;
  };

  const conjunction = (depth: number): Filter => {
    const operands = [unary(depth)];
    while (isKeyword('and')) {
      advance();
      operands.push(unary(depth));
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'and', operands };
  };

  const disjunction = (depth: number): Filter => {
    const operands = [conjunction(depth)];
    while (isKeyword('or')) {
      advance();
      operands.push(conjunction(depth));
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'or', operands };
  };

  const filter = disjunction(0);
  if (current.kind !== 'end')
    fail(`Expected "and", "or" or the end of the value but found ${describe(current)}.`);
  return filter;
};

// Evaluation.

const compareDecimals = (a: Decimal, b: Decimal): number => {
  const scale = Math.max(a.scale, b.scale);
  const x = a.coefficient * 10n ** BigInt(scale - a.scale);
  const y = b.coefficient * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
};

const JS_NUMBER = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([+-][0-9]+))?$/;

/** A JS number as the shortest decimal that reads back as it; undefined for NaN and infinities. */
const decimalOfNumber = (n: number): Decimal | undefined => {
  const parts = Number.isFinite(n) ? JS_NUMBER.exec(String(n)) : null;
  if (!parts) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = parts;
  let digits = whole + fraction;
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  let coefficient = BigInt(sign + digits);
  while (scale > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    scale--;
  }
  return { coefficient, scale };
};

/**
 * A number as decimal text (a store's number, such as DynamoDB's), compared exactly: sign,
 * digits, an optional fraction and an optional exponent.
 */
export class DecimalText {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

const DECIMAL_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]{1,4}))?$/;

/** The exact value of decimal text; undefined for text that is not a number. */
const decimalOfDecimalText = (text: string): Decimal | undefined => {
  const parts = DECIMAL_TEXT.exec(text);
  if (parts === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = parts;
  if (whole === '' && fraction === '') return undefined;
  const digits = whole + fraction;
  const scale = fraction.length - Number(exponent);
  // Exponents are bounded to 4 digits, so the power is too.
  let coefficient = BigInt(sign + digits) * (scale < 0 ? 10n ** BigInt(-scale) : 1n);
  let kept = Math.max(0, scale);
  while (kept > 0 && coefficient % 10n === 0n) {
    coefficient /= 10n;
    kept--;
  }
  return { coefficient, scale: kept };
};

/** The field value read as a literal of `type` would be, or undefined when it has another type or none. */
const subjectOf = (raw: unknown, type: ValueType): FilterValue | undefined => {
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? { type, value: raw } : undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? { type, value: raw } : undefined;
    case 'number': {
      const value =
        typeof raw === 'bigint'
          ? { coefficient: raw, scale: 0 }
          : typeof raw === 'number'
            ? decimalOfNumber(raw)
            : raw instanceof DecimalText
              ? decimalOfDecimalText(raw.text)
              : undefined;
      return value && { type, value };
    }
  }
};

/** The sign of subject - literal; a subject is read for its literal's type, so the types agree. */
const order = (subject: FilterValue, literal: FilterValue): number => {
  if (subject.type === 'number' && literal.type === 'number')
    return compareDecimals(subject.value, literal.value);
  if (subject.type === 'string' && literal.type === 'string') {
    // Code-unit order (see the top of this file).
    return subject.value < literal.value ? -1 : subject.value > literal.value ? 1 : 0;
  }
  // Booleans: the parser only lets them be tested for equality; false before true otherwise.
  return subject.value === literal.value ? 0 : subject.value === true ? 1 : -1;
};

const holds = (operator: ComparisonOperator, sign: number): boolean => {
  switch (operator) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
};

/**
 * Whether the object passes. Field values may be string, number, bigint, DecimalText,
 * boolean, null or undefined (absent = null).
 */
export const matches = (filter: Filter, object: Readonly<Record<string, unknown>>): boolean => {
  switch (filter.kind) {
    case 'or':
      return filter.operands.some((operand) => matches(operand, object));
    case 'and':
      return filter.operands.every((operand) => matches(operand, object));
    case 'not':
      return !matches(filter.operand, object);
    case 'null': {
      const raw = Object.hasOwn(object, filter.field) ? object[filter.field] : undefined;
      return (raw === null || raw === undefined) !== filter.negated;
    }
    case 'compare': {
      const subject = subjectFor(object, filter.field, filter.value);
      return subject !== undefined && holds(filter.operator, order(subject, filter.value));
    }
    case 'in': {
      const subject = subjectFor(object, filter.field, filter.values[0]);
      return (
        subject !== undefined && filter.values.some((value) => order(subject, value) === 0) !== filter.negated
      );
    }
    case 'between': {
      const subject = subjectFor(object, filter.field, filter.low);
      return (
        subject !== undefined &&
        (order(subject, filter.low) >= 0 && order(subject, filter.high) <= 0) !== filter.negated
      );
    }
  }
};

const subjectFor = (
  object: Readonly<Record<string, unknown>>,
  field: string,
  literal: FilterValue | undefined,
): FilterValue | undefined =>
  literal && Object.hasOwn(object, field) ? subjectOf(object[field], literal.type) : undefined;

// Printing.

export const printDecimal = ({ coefficient, scale }: Decimal): string => {
  const sign = coefficient < 0n ? '-' : '';
  const digits = (coefficient < 0n ? -coefficient : coefficient).toString().padStart(scale + 1, '0');
  return scale === 0 ? sign + digits : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

const printValue = (value: FilterValue): string => {
  switch (value.type) {
    case 'string':
      return `"${value.value.replace(/["\\]/g, '\\$&')}"`;
    case 'number':
      return printDecimal(value.value);
    case 'boolean':
      return String(value.value);
  }
};

/** An operand in brackets only where the grammar needs them, so printing never adds depth. */
const printOperand = (operand: Filter, brackets: boolean): string =>
  brackets ? `(${printFilter(operand)})` : printFilter(operand);

/** Canonical text: parseFilter(printFilter(f), shape) deep-equals f. */
export const printFilter = (filter: Filter): string => {
  switch (filter.kind) {
    case 'or':
      return filter.operands.map((operand) => printOperand(operand, operand.kind === 'or')).join(' or ');
    case 'and':
      return filter.operands
        .map((operand) => printOperand(operand, operand.kind === 'or' || operand.kind === 'and'))
        .join(' and ');
    case 'not':
      return `not ${printOperand(filter.operand, filter.operand.kind === 'or' || filter.operand.kind === 'and')}`;
    case 'compare':
      return `${filter.field} ${filter.operator} ${printValue(filter.value)}`;
    case 'in':
      return `${filter.field} ${filter.negated ? 'not in' : 'in'} (${filter.values.map(printValue).join(', ')})`;
    case 'between':
      return `${filter.field} ${filter.negated ? 'not between' : 'between'} ${printValue(filter.low)} and ${printValue(filter.high)}`;
    case 'null':
      return `${filter.field} ${filter.negated ? 'is not null' : 'is null'}`;
  }
};
