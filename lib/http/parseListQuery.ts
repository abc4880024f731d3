import { echo, invalidFilter, invalidListPayload, malformedRange } from '../qradar/errors.ts';
import { type FilterShape, parseFilter } from '../qradar/filter.ts';
import { type Shape, selectFields } from '../qradar/projection.ts';
import { parseRange } from '../qradar/range.ts';
import { parseSort } from '../qradar/sort.ts';
import type { Middleware } from './event.ts';
import { PAYLOAD } from './keepPayload.ts';

interface RawQuery {
  readonly fields?: unknown;
  readonly filter?: unknown;
  readonly sort?: unknown;
  readonly range?: unknown;
}

const PARAMETERS: ReadonlySet<string> = new Set(['fields', 'filter', 'sort', 'range']);
const TAKES =
  'A direct invocation of the list takes a JSON object of the optional strings "filter", "sort", "range" and "fields".';

/** A direct invocation's payload (kept by keepPayload): an object of the four parameters, null for absent. */
const payloadQuery = (payload: unknown): RawQuery => {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'object' || Array.isArray(payload)) throw invalidListPayload(TAKES);
  for (const key of Object.keys(payload)) {
    if (!PARAMETERS.has(key)) throw invalidListPayload(`"${echo(key)}" is not a parameter. ${TAKES}`);
  }
  return payload as RawQuery;
};

/**
 * A list's parameters, checked in contract section 5's order: a direct invocation's payload
 * (422 code 8), fields (31, 30), filter (12), sort (1018), Range (36). HTTP callers send
 * them as the query's fields, filter and sort and the Range header.
 */
export const parseListQuery = (
  shape: Shape,
  filterShape: FilterShape,
  sortable: readonly string[],
): Middleware => ({
  before: (request) => {
    const { event } = request;
    const raw: RawQuery =
      event.caller === 'invoke'
        ? payloadQuery((request.internal as Record<string, unknown>)[PAYLOAD])
        : {
            fields: event.rawFields,
            filter: event.query['filter'],
            sort: event.query['sort'],
            range: event.headers['range'],
          };
    event.selection = selectFields(raw.fields, shape);
    const { filter, sort, range } = raw;
    if (filter !== undefined && filter !== null && typeof filter !== 'string') {
      throw invalidFilter(JSON.stringify(filter), 'The value must be a string.');
    }
    const parsedFilter = typeof filter === 'string' ? parseFilter(filter, filterShape) : undefined;
    const parsedSort = parseSort(sort, sortable);
    if (range !== undefined && range !== null && typeof range !== 'string') throw malformedRange();
    event.list = {
      filter: parsedFilter,
      sort: parsedSort,
      range: typeof range === 'string' ? parseRange(range) : undefined,
    };
  },
});
