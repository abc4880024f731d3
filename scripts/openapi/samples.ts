// Example error bodies for docs/openapi.json, made by the service's own error constructors
// and parsers (lib/qradar/errors.ts, lib/qradar/fields.ts, lib/restore/id.ts), so the examples are what callers get.

import { NO_CREDENTIALS } from '../../lib/auth/authenticate.ts';
import { type ErrorDoc, NOT_FOUND_DESCRIPTIONS } from '../../lib/help/api-description.ts';
import { LIST_ROUTE } from '../../lib/http/routes.ts';
import {
  forbidden,
  helpObjectNotFound,
  internalError,
  invalidFilter,
  invalidListPayload,
  invalidPathParameter,
  invalidSort,
  listInternalError,
  listStoreUnavailable,
  listTooLarge,
  malformedRange,
  methodNotAllowed,
  missingId,
  negativeRange,
  notAcceptable,
  QRadarError,
  type QRadarErrorBody,
  restoreNotFound,
  storeUnavailable,
  unauthorized,
  unknownEndpoint,
  unknownField,
  versionInvalid,
  versionRemoved,
} from '../../lib/qradar/errors.ts';
import { parseFields } from '../../lib/qradar/fields.ts';
import { SORTABLE_FIELDS } from '../../lib/restore/fields.ts';
import { readId } from '../../lib/restore/id.ts';

export interface ErrorSample {
  /** The example's key: code11, code31duplicate, ... */
  readonly key: string;
  readonly summary: string;
  readonly body: QRadarErrorBody;
}

/** Where the error is answered: the endpoint's path below /api, and its id's data type. */
export interface SampleContext {
  readonly path: string;
  readonly idType: string | undefined;
}

/** The QRadarError that `run` throws: the parsers make their own messages. */
const thrownBy = (run: () => unknown): QRadarError => {
  try {
    run();
  } catch (error) {
    if (error instanceof QRadarError) return error;
    throw error;
  }
  throw new Error('the sample did not fail');
};

const helpThing = (description: string): string => {
  const found = Object.entries(NOT_FOUND_DESCRIPTIONS).find(([, text]) => text === description);
  if (found === undefined) throw new Error(`code 1002 with an unknown description: ${description}`);
  return found[0];
};

const isList = (context: SampleContext): boolean => context.path === LIST_ROUTE.path;

/**
 * What tells apart errors of one code with different descriptions or messages: the help object
 * a 1002 names, capitalized (Endpoint, Resource, Version); `List` for the list's 1000 and 8.
 */
export const codeVariant = (error: ErrorDoc, context: SampleContext): string => {
  if ((error.code === 1000 || error.code === 8) && isList(context)) return 'List';
  if (error.code !== 1002) return '';
  const thing = helpThing(error.description);
  return thing.charAt(0).toUpperCase() + thing.slice(1);
};

type Variant = readonly [suffix: string, summary: string, error: QRadarError];

const variants = (error: ErrorDoc, context: SampleContext): readonly Variant[] => {
  switch (error.code) {
    case 1:
      return [['', 'No JSON acceptable', notAcceptable()]];
    case 2:
      return [['', 'Version: 11.0', versionRemoved('11.0')]];
    case 3:
      return [['', 'Version: 27.0', versionInvalid('27.0')]];
    case 4:
      return [['', 'GET /api/siem', unknownEndpoint('/siem')]];
    case 5:
      return [['', `POST /api${context.path}`, methodNotAllowed('POST', context.path)]];
    case 8:
      return isList(context)
        ? [
            [
              '',
              'A direct invocation with a parameter the list does not take',
              invalidListPayload(
                '"id" is not a parameter. A direct invocation of the list takes a JSON object of the optional strings "filter", "sort", "range" and "fields".',
              ),
            ],
          ]
        : [['', 'A direct invocation without id', missingId()]];
    case 11:
      return context.idType === 'Long'
        ? [['', 'Not a Long', thrownBy(() => readId('12abc'))]]
        : [['', 'Not a number', invalidPathParameter('id', 'abc')]];
    case 12:
      return [
        [
          '',
          'A value that does not fit the field',
          invalidFilter(
            'deprecated = maybe',
            '"maybe" is not true or false, and "deprecated" is a Boolean field.',
          ),
        ],
      ];
    case 18:
      return [['', 'No credentials', unauthorized(NO_CREDENTIALS)]];
    case 26:
      return [['', 'Neither BACKUP nor ADMIN', forbidden()]];
    case 30:
      return [['', 'An unknown field', unknownField('nope')]];
    case 31:
      return [
        ['', 'Malformed fields', thrownBy(() => parseFields('id,,status'))],
        ['duplicate', 'A name twice at one level', thrownBy(() => parseFields('id,id'))],
      ];
    case 36:
      return [
        ['', 'Not items=x-y', malformedRange()],
        ['negative', 'y below x', negativeRange()],
      ];
    case 37:
      return [['', 'Over 5 MiB without Range', listTooLarge(120000)]];
    case 1000:
      return [
        [
          '',
          error.status === 503 ? 'Store unavailable' : 'Internal error',
          failure(error.status, isList(context)),
        ],
      ];
    case 1018:
      return [['', 'A field QRadar does not sort by', invalidSort(SORTABLE_FIELDS)]];
    case 1001:
      return [['', 'No such restore', restoreNotFound(424242n)]];
    case 1002: {
      const thing = helpThing(error.description);
      return [
        [
          '',
          'No such id',
          helpObjectNotFound(`No ${thing} documentation object was found with the id 99.`, error.description),
        ],
      ];
    }
    default:
      throw new Error(`no sample for code ${error.code}: add one to scripts/openapi/samples.ts`);
  }
};

const failure = (status: number, list: boolean): QRadarError => {
  if (status === 503) return list ? listStoreUnavailable() : storeUnavailable();
  if (status === 500) return list ? listInternalError() : internalError();
  throw new Error(`code 1000 with status ${status}`);
};

/** Example bodies for one documented error; each carries that error's status and code. */
export const errorSamples = (error: ErrorDoc, context: SampleContext): ErrorSample[] =>
  variants(error, context).map(([suffix, summary, sample]) => {
    if (sample.status !== error.status || sample.code !== error.code) {
      throw new Error(`the sample for ${error.status} code ${error.code} is ${sample.status} ${sample.code}`);
    }
    return {
      key: `code${error.code}${suffix}`,
      summary: `Code ${error.code}: ${summary}`,
      body: sample.toBody(),
    };
  });
