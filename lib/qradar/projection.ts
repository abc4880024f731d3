// Generic selection checking and projection over nested objects (contract section 4).

import { invalidFields, unknownField } from './errors.ts';
import { type FieldList, parseFields } from './fields.ts';

/**
 * The fields an object offers. Each name maps to the shape of the object(s) its value holds
 * (an object, or an array of objects), or to null when its values have no subfields.
 */
export interface Shape {
  readonly [name: string]: Shape | null;
}

/** Every field of a shape, top level only: what an absent `fields` selects. */
export const allFields = (shape: Shape): FieldList => Object.keys(shape).map((name) => ({ name }));

/** Throws code 30 for the first name, reading left to right, that the shape does not offer. */
export const checkSelection = (fields: FieldList, shape: Shape | null): void => {
  for (const { name, children } of fields) {
    const inner = shape !== null && Object.hasOwn(shape, name) ? shape[name] : undefined;
    if (inner === undefined) throw unknownField(name);
    if (children) checkSelection(children, inner);
  }
};

/**
 * The `fields` parameter read against a shape: what an absent, empty or blank value selects is
 * every top-level field; code 31 for a malformed value (a non-string from an invoke payload
 * too), then code 30 for a name the shape does not offer.
 */
export const selectFields = (raw: unknown, shape: Shape): FieldList => {
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    throw invalidFields(raw, 'The value must be a string.');
  }
  const selection = (raw && parseFields(raw)) || allFields(shape);
  checkSelection(selection, shape);
  return selection;
};

/**
 * The selected fields of `value`, in selection order; a field the value lacks is null.
 * Arrays are projected element by element; anything not an object is a leaf.
 */
export const project = (value: unknown, fields: FieldList): unknown => {
  if (Array.isArray(value)) return value.map((element) => project(element, fields));
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  // A null prototype lets any name, "__proto__" included, be an ordinary key.
  const out: Record<string, unknown> = Object.create(null);
  for (const { name, children } of fields) {
    const field = Object.hasOwn(source, name) ? source[name] : null;
    out[name] = children && field !== null ? project(field, children) : (field ?? null);
  }
  return out;
};
