// `npm run build`: the deployable bundles, built exactly as serverless-esbuild builds them for
// AWS (esbuild.config.cjs), into dist/, and the API page's files (scripts/api-doc.ts). The
// benchmark builds with the same function.

import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, extname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { API_DOC_DIR } from '../handlers/apiDoc.ts';
import { buildApiDoc } from './api-doc.ts';

const { options } = createRequire(import.meta.url)('../esbuild.config.cjs') as {
  options: import('esbuild').BuildOptions;
};

/** A plugin that bundles, for each file of ours named in `swap` (absolute paths), another. */
const swapFiles = (swap: Readonly<Record<string, string>>): Plugin => ({
  name: 'swap-files',
  setup(builder) {
    builder.onResolve({ filter: /^\./ }, ({ path, resolveDir }) => {
      const replacement = swap[resolve(resolveDir, path)];
      return replacement === undefined ? undefined : { path: replacement };
    });
  },
});

/**
 * Bundles `entry` into `outfile` and returns the bundle's size in bytes. `swap` replaces
 * files of ours by others (absolute paths) on top of the deployed options: the benchmark's
 * variants.
 */
export const buildBundle = async (
  entry: string,
  outfile: string,
  swap: Readonly<Record<string, string>> = {},
): Promise<number> => {
  await build({
    ...options,
    plugins: [swapFiles(swap), ...(options.plugins ?? [])],
    entryPoints: [entry],
    outfile,
  });
  return (await stat(outfile)).size;
};

if (import.meta.main) {
  for (const entry of [
    'handlers/getRestore.ts',
    'handlers/restoreWatcher.ts',
    'handlers/publishStatusChanges.ts',
  ]) {
    const outfile = join('dist', `${basename(entry, extname(entry))}.mjs`);
    console.log(`${outfile}  ${await buildBundle(entry, outfile)} bytes`);
  }
  const { assets } = await buildApiDoc();
  console.log(`${API_DOC_DIR}/  ${Object.keys(assets).length} assets and the page`);
}
