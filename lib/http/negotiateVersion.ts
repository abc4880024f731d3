import { resolveVersion, type VersionTable } from '../qradar/version.ts';
import type { Middleware } from './event.ts';

/** The Version header (contract 11.1): 422 code 2 or 3, and `Deprecated: true` where it is. */
export const negotiateVersion = (table: VersionTable): Middleware => ({
  before: ({ event }) => {
    if (event.caller !== 'http') return;
    const { version, deprecated } = resolveVersion(event.headers['version'], table);
    event.version = version;
    if (deprecated) event.answerHeaders['Deprecated'] = 'true';
  },
});
