import { QRadarError } from '../../lib/errors.ts';

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

/** The QRadarError `pending` rejects with; fails the test when it resolves or rejects with something else. */
export const qradarRejectionOf = async (pending: Promise<unknown>): Promise<QRadarError> => {
  try {
    await pending;
  } catch (error) {
    if (error instanceof QRadarError) return error;
    throw error;
  }
  throw new Error('no QRadarError was thrown');
};
