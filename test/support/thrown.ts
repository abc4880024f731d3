import { QRadarError } from '../../lib/qradar/errors.ts';

/** The QRadarError `run` throws; fails the test when it throws nothing or something else. */
export const qradarErrorOf = (run: () => unknown): QRadarError => {
  try {
    run();
  } catch (error) {
    if (error instanceof QRadarError) return error;
    throw error;
  }
  throw new Error('no QRadarError was thrown');
};

/** The error of class `type` that `pending` rejects with; fails the test when it resolves or rejects with another. */
export const rejectionOf = async <E>(
  pending: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> => {
  try {
    await pending;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`no ${type.name} was thrown`);
};

/** The QRadarError `pending` rejects with. */
export const qradarRejectionOf = (pending: Promise<unknown>): Promise<QRadarError> =>
  rejectionOf(pending, QRadarError);
