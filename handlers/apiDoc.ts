// GET /api_doc and /api_doc/{asset}: the interactive API page (Swagger UI from npm, served
// here, no CDN) over docs/openapi.json, where QRadar keeps its own (contract section 10), outside
// /api/ so that /api/help is QRadar's help endpoints; and GET /favicon.ico. A function of its
// own, so the restore function's bundle stays small. The page needs no credentials: its
// requests carry those a person enters.
//
// What it serves is built beforehand (scripts/api-doc.ts, into dist/api_doc/): assets under
// names holding their content hash, cached by browsers for a year, and brotli and gzip
// copies, chosen by Accept-Encoding. Nothing is compressed here.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { RESPONSE_HEADERS } from '../lib/http/answer.ts';
import { describeError, log } from '../lib/observability/log.ts';

export type Encoding = 'br' | 'gzip';

export interface AssetEntry {
  /** The file in dist/api_doc/ (its name holds the content hash); `file.br`, `file.gz` beside it. */
  readonly file: string;
  readonly type: string;
  /** The compressed copies beside it, best first. */
  readonly encodings: readonly Encoding[];
}

/** What scripts/api-doc.ts built: dist/api_doc/manifest.json. */
export interface ApiDocManifest {
  /** The page: its file in dist/api_doc/. */
  readonly page: string;
  /** Each asset by the name the page's sources use (`swagger-ui-bundle.js`). */
  readonly assets: Readonly<Record<string, AssetEntry>>;
}

export const API_DOC_DIR = 'dist/api_doc';
export const MANIFEST = 'manifest.json';
export const SUFFIX: Readonly<Record<Encoding, string>> = { br: '.br', gzip: '.gz' };

const HEADERS = {
  ...RESPONSE_HEADERS,
  // Swagger UI sets inline styles; every script, and every request "Try it out" makes to the
  // API, stays on this host.
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

/** A hashed name never changes its content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * The page, and an asset by its plain name (/api_doc/openapi.json): briefly, since a deployment
 * changes what they hold and a cached page names hashed files that may be gone.
 */
const SHORT = 'public, max-age=60';
/** /favicon.ico, which browsers ask of every page of the host. */
const ICON = 'public, max-age=86400';

// The package root: beside handlers/ in the deployed zip and in the repository; serverless
// offline runs a bundle from its build folder, with the repository as working directory.
const ROOTS = [fileURLToPath(new URL('..', import.meta.url)), `${process.cwd()}/`];
const loaded = new Map<string, Promise<Buffer>>();

/** A file of dist/api_doc/, read once per container. */
const load = (file: string): Promise<Buffer> => {
  let bytes = loaded.get(file);
  if (bytes === undefined) {
    bytes = (async () => {
      for (const root of ROOTS) {
        try {
          return await readFile(`${root}${API_DOC_DIR}/${file}`);
        } catch {}
      }
      loaded.delete(file);
      throw new Error(`${API_DOC_DIR}/${file} is not in the package`);
    })();
    loaded.set(file, bytes);
  }
  return bytes;
};

let manifest: Promise<ApiDocManifest> | undefined;
const readManifest = (): Promise<ApiDocManifest> => {
  manifest ??= load(MANIFEST).then(
    (bytes) => JSON.parse(bytes.toString('utf8')) as ApiDocManifest,
    (error: unknown) => {
      manifest = undefined;
      throw error;
    },
  );
  return manifest;
};

/**
 * The best of `offered` the Accept-Encoding value takes (q above 0, `*` for any not named),
 * or undefined for the file itself.
 */
export const chooseEncoding = (
  accept: string | undefined,
  offered: readonly Encoding[],
): Encoding | undefined => {
  const weights = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [coding = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (coding === '') continue;
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter))?.replace(/^q\s*=\s*/, '');
    const weight = q === undefined ? 1 : /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/.test(q) ? Number(q) : 0;
    weights.set(coding, weight);
  }
  const wildcard = weights.get('*') ?? 0;
  return offered.find((encoding) => (weights.get(encoding) ?? wildcard) > 0);
};

interface ApiDocEvent {
  readonly rawPath?: string;
  readonly path?: string;
  readonly headers?: Record<string, string | undefined> | null;
  readonly pathParameters?: Record<string, string | undefined> | null;
}

/** What a request names: an asset and how long it may be kept, the page, or nothing. */
const resolve = (
  event: ApiDocEvent,
  { assets }: ApiDocManifest,
): { readonly asset: AssetEntry; readonly cache: string } | 'page' | undefined => {
  const path = event.rawPath ?? event.path ?? '';
  if (path === '/favicon.ico') {
    const icon = assets['favicon.png'];
    return icon === undefined ? undefined : { asset: icon, cache: ICON };
  }
  const name = event.pathParameters?.['asset'];
  if (name === undefined) return 'page';
  const byName = Object.hasOwn(assets, name) ? assets[name] : undefined;
  if (byName !== undefined) return { asset: byName, cache: SHORT };
  const hashed = Object.values(assets).find(({ file }) => file === name);
  return hashed === undefined ? undefined : { asset: hashed, cache: IMMUTABLE };
};

const plain = (statusCode: number, body: string): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  body,
});

/** Takes API Gateway payload 1.0 and 2.0 events alike: both carry headers and pathParameters. */
export const handler = async (event: ApiDocEvent): Promise<APIGatewayProxyResultV2> => {
  try {
    const built = await readManifest();
    const wanted = resolve(event, built);
    if (wanted === undefined) return plain(404, 'Not found');
    if (wanted === 'page') {
      const page = await load(built.page);
      return {
        statusCode: 200,
        headers: { ...HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': SHORT },
        body: page.toString('utf8'),
      };
    }
    const { asset, cache } = wanted;
    const accept = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'accept-encoding',
    )?.[1];
    const encoding = chooseEncoding(accept, asset.encodings);
    const bytes = await load(encoding === undefined ? asset.file : `${asset.file}${SUFFIX[encoding]}`);
    const text = encoding === undefined && asset.type.includes('charset=utf-8');
    return {
      statusCode: 200,
      headers: {
        ...HEADERS,
        'Content-Type': asset.type,
        'Cache-Control': cache,
        ...(asset.encodings.length > 0 ? { Vary: 'Accept-Encoding' } : {}),
        ...(encoding === undefined ? {} : { 'Content-Encoding': encoding }),
      },
      body: bytes.toString(text ? 'utf8' : 'base64'),
      isBase64Encoded: !text,
    };
  } catch (error) {
    log('ERROR', 'api_doc asset missing', describeError(error));
    return plain(500, 'Internal error');
  }
};
