// What names a console and how to reach it, checked the same way wherever it comes from: the
// command line (`--from`), npm start's environment (QRADAR_CONSOLE_URL), or a function's.

import { echo } from '../qradar/errors.ts';

/** A setting that cannot work; its message names the setting and never echoes a credential. */
export class SettingError extends Error {
  override readonly name = 'SettingError';
}

/** The QRadar API version asked of a console: the latest that describes this endpoint. */
export const DEFAULT_API_VERSION = '26.0';
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 10_000;
/** An origin longer than this could not fit beside a restore in an item (lib/restore/item.ts). */
const MAX_ORIGIN_CHARS = 500;

const VERSION = /^[0-9]{1,3}\.[0-9]{1,3}$/;
// What a header value can carry unchanged; a token is a UUID.
const HEADER_SAFE = /^[!-~]+$/;

export const isApiVersion = (text: string): boolean => VERSION.test(text);

/** True when a token can travel in a header as it is. */
export const isHeaderSafe = (token: string): boolean => HEADER_SAFE.test(token);

/** The console's origin (https://host[:port]) from an address `name` gave; throws SettingError. */
export const consoleOrigin = (raw: string, name: string, credentialsHint: string): string => {
  const url = URL.parse(raw);
  if (url === null) throw new SettingError(`${name} is not an address: ${echo(raw)}`);
  if (url.protocol !== 'https:') {
    throw new SettingError(`${name} needs an https:// address: the console is read over TLS`);
  }
  if (url.username || url.password) {
    throw new SettingError(`${name} must not hold credentials: use ${credentialsHint}`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new SettingError(`${name} takes the console's address only, such as https://${url.host}`);
  }
  if (url.origin.length > MAX_ORIGIN_CHARS) {
    throw new SettingError(`${name} is longer than ${MAX_ORIGIN_CHARS} characters`);
  }
  return url.origin;
};
