// The API page's files, ready to serve, in dist/api_doc/ (`npm run build`; esbuild.config.cjs
// runs it whenever serverless bundles: `npm start`, `npm run package`, a deploy). Each asset
// is written under a name holding its content hash, so handlers/apiDoc.ts can let browsers
// keep it for a year; the text ones also as brotli and gzip, compressed here, once, not per
// request. The page and init.js name the hashed files. manifest.json says what is where.
// Compressed copies are kept in node_modules/.cache/api-doc/ by content, so a build of
// unchanged files costs no compression.

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import {
  API_DOC_DIR,
  type ApiDocManifest,
  type AssetEntry,
  type Encoding,
  MANIFEST,
  SUFFIX,
} from '../handlers/apiDoc.ts';

interface Source {
  readonly name: string;
  readonly file: string;
  readonly type: string;
  /** Text: compressed, and its references to assets before it rewritten to hashed names. */
  readonly text: boolean;
}

// In order: a text source may name the ones before it (init.js names openapi.json).
const SOURCES: readonly Source[] = [
  {
    name: 'favicon.png',
    file: 'node_modules/swagger-ui-dist/favicon-32x32.png',
    type: 'image/png',
    text: false,
  },
  {
    name: 'openapi.json',
    file: 'docs/openapi.json',
    type: 'application/json; charset=utf-8',
    text: true,
  },
  {
    name: 'swagger-ui.css',
    file: 'node_modules/swagger-ui-dist/swagger-ui.css',
    type: 'text/css; charset=utf-8',
    text: true,
  },
  {
    name: 'swagger-ui-bundle.js',
    file: 'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
    type: 'text/javascript; charset=utf-8',
    text: true,
  },
  { name: 'init.js', file: 'docs/api_doc/init.js', type: 'text/javascript; charset=utf-8', text: true },
];
const PAGE = 'docs/api_doc/index.html';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

// Brotli at its best (quality 11): about 10 s for Swagger UI's bundle, paid once per version.
const COMPRESS: Readonly<Record<Encoding, (bytes: Buffer) => Promise<Buffer>>> = {
  br: (bytes) =>
    promisify(brotliCompress)(bytes, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gzip: (bytes) => promisify(gzip)(bytes, { level: constants.Z_BEST_COMPRESSION }),
};

/** Writes `bytes` under `path` whole or not at all: builds running side by side never see half a file. */
const writeWhole = async (path: string, bytes: Uint8Array | string): Promise<void> => {
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
};

/** `bytes` compressed, from the cache when these very bytes were compressed before. */
const compressed = async (root: string, bytes: Buffer, encoding: Encoding): Promise<Buffer> => {
  const cacheDir = join(root, 'node_modules/.cache/api-doc');
  const cached = join(cacheDir, `${sha256(bytes)}${SUFFIX[encoding]}`);
  try {
    return await readFile(cached);
  } catch {
    const result = await COMPRESS[encoding](bytes);
    await mkdir(cacheDir, { recursive: true });
    await writeWhole(cached, result);
    return result;
  }
};

/** `text` with each `/api_doc/NAME` of an asset already built replaced by its hashed name. */
const withHashedNames = (text: string, assets: Readonly<Record<string, AssetEntry>>): string => {
  let out = text;
  for (const [name, { file }] of Object.entries(assets))
    out = out.replaceAll(`/api_doc/${name}`, `/api_doc/${file}`);
  return out;
};

/** Builds dist/api_doc/ under `root` (the project's by default) and returns its manifest. */
export const buildApiDoc = async (root = ROOT): Promise<ApiDocManifest> => {
  const out = join(root, API_DOC_DIR);
  await mkdir(out, { recursive: true });
  const assets: Record<string, AssetEntry> = {};
  for (const source of SOURCES) {
    const original = await readFile(join(root, source.file));
    const bytes = source.text ? Buffer.from(withHashedNames(original.toString('utf8'), assets)) : original;
    const extension = extname(source.name);
    const file = `${source.name.slice(0, -extension.length)}.${sha256(bytes).slice(0, 16)}${extension}`;
    const encodings: Encoding[] = source.text ? ['br', 'gzip'] : [];
    await writeWhole(join(out, file), bytes);
    for (const encoding of encodings) {
      await writeWhole(join(out, `${file}${SUFFIX[encoding]}`), await compressed(root, bytes, encoding));
    }
    assets[source.name] = { file, type: source.type, encodings };
  }
  const page = withHashedNames(await readFile(join(root, PAGE), 'utf8'), assets);
  const manifest: ApiDocManifest = { page: 'index.html', assets };
  await writeWhole(join(out, manifest.page), page);
  await writeWhole(join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  // Only what this build made: older hashed files would otherwise ride along in the package.
  const kept = new Set([
    MANIFEST,
    manifest.page,
    ...Object.values(assets).flatMap(({ file, encodings }) => [
      file,
      ...encodings.map((encoding) => `${file}${SUFFIX[encoding]}`),
    ]),
  ]);
  for (const entry of await readdir(out)) {
    if (!kept.has(entry) && !entry.endsWith('.partial')) await rm(join(out, entry), { force: true });
  }
  return manifest;
};

if (import.meta.main) {
  const manifest = await buildApiDoc();
  console.log(`${API_DOC_DIR}: ${Object.keys(manifest.assets).length} assets and the page`);
}
