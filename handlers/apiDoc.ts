// GET /api_doc and /api_doc/{asset}: the interactive API page (Swagger UI from npm, served
// here, no CDN) over docs/openapi.json, where QRadar keeps its own (contract section 10), outside
// /api/ so that /api/help is QRadar's help endpoints. A function of its own, so the restore
// function's bundle stays small. The page needs no credentials: its requests carry those a
// person enters.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { RESPONSE_HEADERS } from '../lib/http/answer.ts';
import { describeError, log } from '../lib/observability/log.ts';

interface Asset {
  readonly file: string;
  readonly type: string;
}

const PAGE: Asset = { file: 'docs/api_doc/index.html', type: 'text/html; charset=utf-8' };
const ASSETS: Readonly<Record<string, Asset>> = {
  'swagger-ui.css': { file: 'node_modules/swagger-ui-dist/swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': {
    file: 'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
    type: 'text/javascript; charset=utf-8',
  },
  'init.js': { file: 'docs/api_doc/init.js', type: 'text/javascript; charset=utf-8' },
  'openapi.json': { file: 'docs/openapi.json', type: 'application/json; charset=utf-8' },
};

const HEADERS = {
  ...RESPONSE_HEADERS,
  // Swagger UI sets inline styles; every script, and every request "Try it out" makes to the
  // API, stays on this host.
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

// The package root: beside handlers/ in the deployed zip and in the repository; serverless
// offline runs a bundle from its build folder, with the repository as working directory.
const ROOTS = [fileURLToPath(new URL('..', import.meta.url)), `${process.cwd()}/`];
const loaded = new Map<string, Promise<string>>();

const load = (file: string): Promise<string> => {
  let text = loaded.get(file);
  if (text === undefined) {
    text = (async () => {
      for (const root of ROOTS) {
        try {
          return await readFile(`${root}${file}`, 'utf8');
        } catch {}
      }
      loaded.delete(file);
      throw new Error(`${file} is not in the package`);
    })();
    loaded.set(file, text);
  }
  return text;
};

const plain = (statusCode: number, body: string): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  body,
});

/** Takes API Gateway payload 1.0 and 2.0 events alike: both carry pathParameters. */
export const handler = async (event: { pathParameters?: Record<string, string | undefined> | null }) => {
  const name = event.pathParameters?.['asset'];
  const asset = name === undefined ? PAGE : Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (asset === undefined) return plain(404, 'Not found');
  try {
    const body = await load(asset.file);
    const cache = asset === PAGE ? 'no-store' : 'public, max-age=300';
    return {
      statusCode: 200,
      headers: { ...HEADERS, 'Content-Type': asset.type, 'Cache-Control': cache },
      body,
    };
  } catch (error) {
    log('ERROR', 'api_doc asset missing', describeError(error));
    return plain(500, 'Internal error');
  }
};
