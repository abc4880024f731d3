import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import { parseFields } from '../../../lib/qradar/fields.ts';
import { allFields, checkSelection, project, type Shape } from '../../../lib/qradar/projection.ts';

// A nested shape, to show the projection is not tied to the restore's flat one.
const offense: Shape = {
  id: null,
  status: null,
  rules: { id: null, type: null },
  source: { address: null, network: { name: null, cidr: null } },
};

const select = (raw: string) => parseFields(raw) ?? [];

const unknownName = (raw: string, shape: Shape): string | undefined => {
  try {
    checkSelection(select(raw), shape);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(QRadarError);
    expect(error).toMatchObject({ status: 422, code: 30 });
    return (error as QRadarError).message;
  }
};

describe('checkSelection', () => {
  it('accepts known names at every level', () => {
    expect(unknownName('id,rules(id,type),source(network(cidr))', offense)).toBeUndefined();
  });

  it('names the first unknown field reading left to right, at any level', () => {
    expect(unknownName('id,nope,rules(bad)', offense)).toBe(
      'Specified field "nope" is not recognized by this endpoint for media type "application/json"',
    );
    expect(unknownName('rules(bad),nope', offense)).toContain('"bad"');
    expect(unknownName('source(network(mask))', offense)).toContain('"mask"');
  });

  it('refuses subfields of a field whose values are not objects', () => {
    expect(unknownName('status(x)', offense)).toContain('"x"');
  });

  it('does not take inherited names for fields', () => {
    expect(unknownName('constructor', offense)).toContain('"constructor"');
    expect(unknownName('__proto__', offense)).toContain('"__proto__"');
  });
});

describe('project', () => {
  const record = {
    id: 7n,
    status: 'OPEN',
    secret: 'never selected',
    rules: [
      { id: 1, type: 'A', extra: true },
      { id: 2, extra: false },
    ],
    source: { address: '192.0.2.1', network: { name: 'lab', cidr: '192.0.2.0/24' } },
  };

  it('keeps exactly the selected fields, in selection order, null for what is missing', () => {
    expect(project(record, select('status,id,rules(type),source(network(name))'))).toEqual({
      status: 'OPEN',
      id: 7n,
      rules: [{ type: 'A' }, { type: null }],
      source: { network: { name: 'lab' } },
    });
    expect(Object.keys(project(record, select('status,id')) as object)).toEqual(['status', 'id']);
  });

  it('selects a whole object when no subfields are given, and null stays null', () => {
    expect(project({ source: null, rules: record.rules }, select('source(address),rules'))).toEqual({
      source: null,
      rules: record.rules,
    });
  });

  it('projects every field of a shape with allFields', () => {
    expect(Object.keys(project({}, allFields(offense)) as object)).toEqual([
      'id',
      'status',
      'rules',
      'source',
    ]);
  });

  it('holds only selected keys for any object and any flat selection', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue()),
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_]{1,5}$/), { minLength: 1 }),
        (value, names) => {
          const out = project(
            value,
            names.map((name) => ({ name })),
          ) as Record<string, unknown>;
          // Sorted: JavaScript lists integer-like keys ("0", "1") first, whatever the order.
          expect(Object.keys(out).sort()).toEqual([...names].sort());
          for (const name of names)
            expect(out[name]).toEqual(Object.hasOwn(value, name) ? value[name] : null);
        },
      ),
    );
  });
});
