// A QRadar filter (lib/qradar/filter.ts) pushed down into a DynamoDB FilterExpression (spec
// sections 9 and 13). DynamoDB selects a superset of what the filter selects, never less, and
// the function evaluates the filter itself on what comes back, so the answer is exact.
//
// Each predicate is translated to two conditions: `over`, true at least wherever the
// predicate is, and `under`, true at most where it is. `not` swaps them, so the superset holds
// through any nesting. Where DynamoDB evaluates a predicate exactly as 11.3 does, both are the
// same expression; where it cannot, `over` is "anything" and `under` "nothing".
//
// What DynamoDB evaluates exactly, and how:
// - A comparison is false on an absent attribute or one of another type, as 11.3's is; so
//   `!=` is written `(a < v OR a > v)` (DynamoDB's `<>` is true for those) and a Boolean's
//   `!=` as `=` of the other value.
// - `in` is `=` or'ed, `not in` `!=` and'ed, `between` two comparisons: no IN, BETWEEN or
//   attribute_type on typed values, whose edge cases (an empty string, false, bounds in
//   descending order) differ between DynamoDB and the local store.
// - Numbers compare exactly as decimals on both sides (DynamoDB holds 38 digits; a literal
//   beyond that is not pushed). Longs travel as NumberValue text, never as a double.
// - Strings order by UTF-8 bytes in DynamoDB and by UTF-16 code units in 11.3. The two orders
//   agree against a literal whose code units are all below U+D800 (every character of such a
//   literal is below every surrogate pair and every character from U+D800 up, in both
//   orders); an ordering against any other literal is not pushed. Equality is pushed always.
// - `is null` is an absent attribute or DynamoDB's NULL type.

import { NumberValue } from '@aws-sdk/lib-dynamodb';
import {
  type ComparisonOperator,
  type Decimal,
  type Filter,
  type FilterValue,
  printDecimal,
} from '../qradar/filter.ts';

/** DynamoDB's limits on one expression: 4 KB of text, 300 operators and functions. */
const MAX_EXPRESSION_BYTES = 4096;
const MAX_OPERATORS = 300;
/** DynamoDB's numbers: 38 significant digits, magnitudes from 1E-130 to below 1E+126. */
const MAX_DIGITS = 38;
const MIN_EXPONENT = -130;
const MAX_EXPONENT = 125;

type Operator = '=' | '<' | '<=' | '>' | '>=';
type Literal = string | boolean | NumberValue;

type Condition =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | { readonly kind: 'compare'; readonly field: string; readonly operator: Operator; readonly value: Literal }
  | { readonly kind: 'exists' | 'notExists' | 'isNull'; readonly field: string };

const TRUE: Condition = { kind: 'true' };
const FALSE: Condition = { kind: 'false' };

const and = (items: readonly Condition[]): Condition => {
  if (items.some((item) => item.kind === 'false')) return FALSE;
  const kept = items.filter((item) => item.kind !== 'true');
  return kept.length === 0 ? TRUE : kept.length === 1 ? (kept[0] as Condition) : { kind: 'and', items: kept };
};

const or = (items: readonly Condition[]): Condition => {
  if (items.some((item) => item.kind === 'true')) return TRUE;
  const kept = items.filter((item) => item.kind !== 'false');
  return kept.length === 0 ? FALSE : kept.length === 1 ? (kept[0] as Condition) : { kind: 'or', items: kept };
};

const not = (item: Condition): Condition =>
  item.kind === 'true' ? FALSE : item.kind === 'false' ? TRUE : { kind: 'not', item };

/** A superset and a subset of what a predicate selects, as conditions DynamoDB evaluates. */
interface Bounds {
  readonly over: Condition;
  readonly under: Condition;
  /** Over and under are the same: DynamoDB evaluates the predicate exactly. */
  readonly exact: boolean;
}

const exactly = (condition: Condition): Bounds => ({ over: condition, under: condition, exact: true });
/** A predicate left to the function: DynamoDB keeps everything for it. */
const UNKNOWN: Bounds = { over: TRUE, under: FALSE, exact: false };

/** Whether DynamoDB holds the decimal exactly. */
const fitsDynamo = ({ coefficient, scale }: Decimal): boolean => {
  if (coefficient === 0n) return true;
  const digits = (coefficient < 0n ? -coefficient : coefficient).toString();
  const significant = digits.replace(/0+$/, '').length;
  const exponent = digits.length - 1 - scale;
  return significant <= MAX_DIGITS && exponent >= MIN_EXPONENT && exponent <= MAX_EXPONENT;
};

/** Every code unit below U+D800: byte order and code-unit order agree against it. */
const safeForOrdering = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0xd800) return false;
  return true;
};

/** The literal as DynamoDB takes it; undefined when it cannot. */
const literalOf = (value: FilterValue): Literal | undefined => {
  switch (value.type) {
    case 'number':
      return fitsDynamo(value.value) ? NumberValue.from(printDecimal(value.value)) : undefined;
    case 'string':
      // DynamoDB takes UTF-8 only: a lone surrogate could not be sent.
      return value.value.isWellFormed() ? value.value : undefined;
    case 'boolean':
      return value.value;
  }
};

const comparison = (field: string, operator: ComparisonOperator, value: FilterValue): Bounds => {
  const literal = literalOf(value);
  if (literal === undefined) return UNKNOWN;
  const compare = (op: Operator, v: Literal = literal): Condition => ({
    kind: 'compare',
    field,
    operator: op,
    value: v,
  });
  if (operator === '=') return exactly(compare('='));
  if (operator === '!=') {
    return exactly(typeof literal === 'boolean' ? compare('=', !literal) : or([compare('<'), compare('>')]));
  }
  if (typeof literal === 'string' && !safeForOrdering(literal)) return UNKNOWN;
  return exactly(compare(operator));
};

const allOf = (bounds: readonly Bounds[]): Bounds => ({
  over: and(bounds.map((b) => b.over)),
  under: and(bounds.map((b) => b.under)),
  exact: bounds.every((b) => b.exact),
});

const anyOf = (bounds: readonly Bounds[]): Bounds => ({
  over: or(bounds.map((b) => b.over)),
  under: or(bounds.map((b) => b.under)),
  exact: bounds.every((b) => b.exact),
});

const boundsOf = (filter: Filter): Bounds => {
  switch (filter.kind) {
    case 'and':
      return allOf(filter.operands.map(boundsOf));
    case 'or':
      return anyOf(filter.operands.map(boundsOf));
    case 'not': {
      const inner = boundsOf(filter.operand);
      return { over: not(inner.under), under: not(inner.over), exact: inner.exact };
    }
    case 'null': {
      const { field } = filter;
      return exactly(
        filter.negated
          ? and([{ kind: 'exists', field }, not({ kind: 'isNull', field })])
          : or([
              { kind: 'notExists', field },
              { kind: 'isNull', field },
            ]),
      );
    }
    case 'compare':
      return comparison(filter.field, filter.operator, filter.value);
    case 'in':
      // Each value of the field's type: `not in` is typed and unequal to every value.
      return filter.negated
        ? allOf(filter.values.map((value) => comparison(filter.field, '!=', value)))
        : anyOf(filter.values.map((value) => comparison(filter.field, '=', value)));
    case 'between':
      // `not between` is typed and outside: below the low end or above the high one.
      return filter.negated
        ? anyOf([comparison(filter.field, '<', filter.low), comparison(filter.field, '>', filter.high)])
        : allOf([comparison(filter.field, '>=', filter.low), comparison(filter.field, '<=', filter.high)]);
  }
};

/** Attribute-name placeholders (`status` is a reserved word), shared with the projection. */
export class AttributeNames {
  readonly map: Record<string, string> = {};
  readonly #placeholders = new Map<string, string>();

  of(name: string): string {
    let placeholder = this.#placeholders.get(name);
    if (placeholder === undefined) {
      placeholder = `#a${this.#placeholders.size}`;
      this.#placeholders.set(name, placeholder);
      this.map[placeholder] = name;
    }
    return placeholder;
  }
}

export interface PushedFilter {
  /** Undefined: DynamoDB keeps every item. */
  readonly expression: string | undefined;
  /** Undefined when the expression has none. */
  readonly values: Record<string, Literal> | undefined;
  /** True when no item can match: nothing needs to be read. */
  readonly nothing: boolean;
  /** DynamoDB selects exactly what the filter does (the function still checks). */
  readonly exact: boolean;
}

const KEEP_ALL: PushedFilter = { expression: undefined, values: undefined, nothing: false, exact: false };

/** Writes a condition with placeholders; counts its operators and functions. */
const render = (condition: Condition, names: AttributeNames) => {
  const values: Record<string, Literal> = {};
  const valueKeys = new Map<string, string>();
  let operators = 0;
  const placeholderOf = (literal: Literal): string => {
    const key =
      literal instanceof NumberValue
        ? `n${literal.value}`
        : typeof literal === 'string'
          ? `s${literal}`
          : `b${literal}`;
    let placeholder = valueKeys.get(key);
    if (placeholder === undefined) {
      placeholder = `:v${valueKeys.size}`;
      valueKeys.set(key, placeholder);
      values[placeholder] = literal;
    }
    return placeholder;
  };
  const write = (c: Condition): string => {
    switch (c.kind) {
      case 'true':
      case 'false':
        throw new Error('constant conditions are folded before rendering');
      case 'and':
      case 'or':
        operators += c.items.length - 1;
        return `(${c.items.map(write).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        operators += 1;
        return `(NOT ${write(c.item)})`;
      case 'compare':
        operators += 1;
        return `${names.of(c.field)} ${c.operator} ${placeholderOf(c.value)}`;
      case 'exists':
        operators += 1;
        return `attribute_exists(${names.of(c.field)})`;
      case 'notExists':
        operators += 1;
        return `attribute_not_exists(${names.of(c.field)})`;
      case 'isNull':
        operators += 1;
        return `attribute_type(${names.of(c.field)}, ${placeholderOf('NULL')})`;
    }
  };
  const expression = write(condition);
  return { expression, values, operators };
};

/**
 * The FilterExpression that selects a superset of what `filter` selects, with its values;
 * none when the filter is absent, DynamoDB cannot narrow it, or the expression would pass
 * DynamoDB's limits. Names go into `names`, which the caller's projection shares.
 */
export const pushDown = (filter: Filter | undefined, names: AttributeNames): PushedFilter => {
  if (filter === undefined) return { ...KEEP_ALL, exact: true };
  const { over, exact } = boundsOf(filter);
  if (over.kind === 'true') return KEEP_ALL;
  if (over.kind === 'false') return { expression: undefined, values: undefined, nothing: true, exact };
  // Rendered into a scratch name table first: a refused expression must leave no unused names.
  const scratch = new AttributeNames();
  for (const name of Object.values(names.map)) scratch.of(name);
  const { expression, values, operators } = render(over, scratch);
  if (Buffer.byteLength(expression) > MAX_EXPRESSION_BYTES || operators > MAX_OPERATORS) return KEEP_ALL;
  for (const name of Object.values(scratch.map)) names.of(name);
  return { expression, values, nothing: false, exact };
};
