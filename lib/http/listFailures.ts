import { listInternalError, listStoreUnavailable, QRadarError } from '../qradar/errors.ts';
import { EarlyAnswer } from './answer.ts';
import type { Middleware } from './event.ts';

/**
 * A list's 5xx carries QRadar's description for the restores (contract 13), whichever step failed
 * (the credential lookup included). Placed after eventShape, so its onError runs first.
 */
export const listFailures = (): Middleware => ({
  onError: (request) => {
    const { error } = request;
    if (error instanceof EarlyAnswer) return;
    if (error instanceof QRadarError) {
      if (error.status === 503) request.error = listStoreUnavailable(error.cause ?? error);
      else if (error.status >= 500) request.error = listInternalError(error.cause ?? error);
      return;
    }
    request.error = listInternalError(error);
  },
});
