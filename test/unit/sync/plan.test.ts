import { NumberValue } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESTORE_STATUSES } from '../../../lib/restore/fields.ts';
import { movesBackwards } from '../../../lib/restore/lifecycle.ts';
import { CONSOLE_ATTRIBUTE, type PlanInput, planPass, refusesDeletions } from '../../../lib/sync/plan.ts';

type Item = Record<string, unknown>;
const ORIGIN = 'https://qradar.example.com';
const OTHER = 'https://other.example.com';

const restore = (id: string, status?: string, name = 'nightly'): Item => ({
  id: new NumberValue(id),
  ...(status === undefined ? {} : { status }),
  backup_name: name,
});

const input = (overrides: Partial<PlanInput>): PlanInput => ({
  origin: ORIGIN,
  listed: new Map(),
  rejectedIds: new Set(),
  unidentified: 0,
  complete: true,
  stored: new Map(),
  ...overrides,
});
const byId = (items: Item[]) =>
  new Map(items.map((item) => [String((item['id'] as NumberValue).value), item]));
const mine = (item: Item, origin = ORIGIN): Item => ({ ...item, [CONSOLE_ATTRIBUTE]: origin });

describe('planPass', () => {
  it('writes the new and the changed with the console origin, leaves the unchanged, skips the stale', () => {
    const plan = planPass(
      input({
        listed: byId([
          restore('1', 'PENDING'),
          restore('2', 'SUCCESS'),
          restore('3', 'IN_PROGRESS'),
          restore('4', 'FAILED'),
        ]),
        stored: byId([
          mine(restore('2', 'IN_PROGRESS')),
          mine(restore('3', 'SUCCESS')),
          mine(restore('4', 'FAILED')),
        ]),
      }),
    );
    expect(plan.writes).toEqual([mine(restore('1', 'PENDING')), mine(restore('2', 'SUCCESS'))]);
    expect([...plan.changes]).toEqual([
      ['1', 'new'],
      ['2', ['status']],
    ]);
    expect(plan).toMatchObject({ unchanged: 1, stale: ['3'], deletions: [], refused: 0, owned: 3 });
  });

  it("claims an unchanged restore that is not yet this console's", () => {
    const plan = planPass(
      input({
        listed: byId([restore('1', 'SUCCESS')]),
        stored: byId([mine(restore('1', 'SUCCESS'), OTHER)]),
      }),
    );
    expect(plan.writes).toEqual([mine(restore('1', 'SUCCESS'))]);
    expect(plan.changes.get('1')).toEqual([CONSOLE_ATTRIBUTE]);
  });

  it("deletes only this console's items it no longer lists, never a file's or another console's", () => {
    const stored = byId([
      mine(restore('1')),
      mine(restore('2')),
      mine(restore('3')),
      mine(restore('4')),
      mine(restore('5'), OTHER),
      restore('6'),
    ]);
    const plan = planPass(input({ listed: byId([restore('1'), restore('2'), restore('3')]), stored }));
    expect(plan).toMatchObject({ deletions: ['4'], refused: 0, owned: 4 });
  });

  it('never deletes a restore the console listed but that was rejected', () => {
    const stored = byId([mine(restore('1')), mine(restore('2')), mine(restore('3'))]);
    const plan = planPass(
      input({ listed: byId([restore('1'), restore('2')]), rejectedIds: new Set(['3']), stored }),
    );
    expect(plan.deletions).toEqual([]);
  });

  it('deletes nothing after a partial read, or with a rejected record whose id is unknown', () => {
    const stored = byId([mine(restore('1')), mine(restore('2')), mine(restore('3'))]);
    const listed = byId([restore('1'), restore('2')]);
    expect(planPass(input({ listed, stored, complete: false }))).toMatchObject({
      deletions: [],
      refused: 0,
      held: "the console's list was not read whole",
    });
    expect(planPass(input({ listed, stored, unidentified: 1 }))).toMatchObject({
      deletions: [],
      refused: 0,
      held: 'a rejected record has no id that can be read',
    });
  });

  it('refuses to delete more than half, or anything on an empty answer', () => {
    const stored = byId(['1', '2', '3', '4'].map((id) => mine(restore(id))));
    // D = 2, S = 4: half, not more: allowed.
    expect(planPass(input({ listed: byId([restore('1'), restore('2')]), stored }))).toMatchObject({
      deletions: ['3', '4'],
      refused: 0,
    });
    // D = 3, S = 4: refused, whatever else is written.
    const refused = planPass(input({ listed: byId([restore('1', 'SUCCESS')]), stored }));
    expect(refused).toMatchObject({ deletions: [], refused: 3, owned: 4 });
    expect(refused.writes).toHaveLength(1);
    // S = 1: one deletion is fine, unless the console answered nothing at all.
    const one = byId([mine(restore('1'))]);
    expect(planPass(input({ listed: byId([restore('2')]), stored: one }))).toMatchObject({
      deletions: ['1'],
    });
    expect(planPass(input({ stored: one }))).toMatchObject({ deletions: [], refused: 1 });
  });
});

describe('refusesDeletions', () => {
  it('is the guard of section 14: D > 1 and 2·D > S, or an empty answer while S > 0', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.boolean(), (d, s, empty) => {
        expect(refusesDeletions(d, s, empty)).toBe((d > 1 && 2 * d > s) || (empty && s > 0));
      }),
    );
  });
});

describe('planPass: properties', () => {
  const ids = fc.integer({ min: 1, max: 25 }).map(String);
  const status = fc.option(fc.constantFrom(...RESTORE_STATUSES, 'DONE'), { nil: undefined });
  const name = fc.constantFrom('a', 'b');
  const owner = fc.constantFrom(ORIGIN, OTHER, undefined);
  const listedArb = fc.uniqueArray(fc.record({ id: ids, status, name }), {
    selector: (r) => r.id,
    maxLength: 20,
  });
  const storedArb = fc.uniqueArray(fc.record({ id: ids, status, name, owner }), {
    selector: (r) => r.id,
    maxLength: 20,
  });
  const inputs = fc
    .record({
      listed: listedArb,
      stored: storedArb,
      rejected: fc.uniqueArray(ids, { maxLength: 3 }),
      unidentified: fc.nat(1),
      complete: fc.boolean(),
    })
    .map(({ listed, stored, rejected, unidentified, complete }) => {
      const listedIds = new Set(listed.map((r) => r.id));
      return input({
        listed: byId(listed.filter((r) => r.status !== 'DONE').map((r) => restore(r.id, r.status, r.name))),
        rejectedIds: new Set(rejected.filter((id) => !listedIds.has(id))),
        unidentified,
        complete,
        stored: byId(
          stored.map((r) => {
            const item = restore(r.id, r.status, r.name);
            return r.owner === undefined ? item : mine(item, r.owner);
          }),
        ),
      });
    });

  it('accounts for every listed restore once: written, unchanged or stale', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const plan = planPass(given);
        expect(plan.writes.length + plan.unchanged + plan.stale.length).toBe(given.listed.size);
      }),
    );
  });

  it("never writes a restore backwards, and marks every write as this console's", () => {
    fc.assert(
      fc.property(inputs, (given) => {
        for (const item of planPass(given).writes) {
          const id = String((item['id'] as NumberValue).value);
          expect(movesBackwards(given.stored.get(id)?.['status'], item['status'])).toBe(false);
          expect(item[CONSOLE_ATTRIBUTE]).toBe(ORIGIN);
        }
      }),
    );
  });

  it("deletes only this console's unlisted items, only after a whole read, and never past the guard", () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const plan = planPass(given);
        for (const id of plan.deletions) {
          expect(given.stored.get(id)?.[CONSOLE_ATTRIBUTE]).toBe(ORIGIN);
          expect(given.listed.has(id) || given.rejectedIds.has(id)).toBe(false);
        }
        if (!given.complete || given.unidentified > 0) expect(plan.deletions).toEqual([]);
        const empty = given.listed.size + given.rejectedIds.size === 0;
        if (plan.deletions.length > 0)
          expect(refusesDeletions(plan.deletions.length, plan.owned, empty)).toBe(false);
        if (plan.refused > 0) {
          expect(plan.deletions).toEqual([]);
          expect(refusesDeletions(plan.refused, plan.owned, empty)).toBe(true);
        }
      }),
    );
  });

  // After a refusal the next pass counts the restores it wrote among S: the guard holds back
  // one pass's deletions, not every pass's (the console's list has become its own).
  it('leaves nothing to do once carried out: a second plan writes nothing, and deletes nothing unless it refused', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const plan = planPass(given);
        const after = new Map(given.stored);
        for (const item of plan.writes) after.set(String((item['id'] as NumberValue).value), item);
        for (const id of plan.deletions) after.delete(id);
        const again = planPass({ ...given, stored: after });
        expect(again.writes).toEqual([]);
        if (plan.refused === 0) expect(again.deletions).toEqual([]);
        expect(again.stale).toEqual(plan.stale);
      }),
    );
  });
});
