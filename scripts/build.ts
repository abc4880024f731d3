// `npm run build`: the deployable bundles, built exactly as serverless-esbuild builds them for
// AWS (esbuild.config.cjs), into dist/. The benchmark builds with the same function.

import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, extname, join } from 'node:path';
import { build } from 'esbuild';

const { options } = createRequire(import.meta.url)('../esbuild.config.cjs') as {
  options: import('esbuild').BuildOptions;
};

/**
 * Bundles `entry` into `outfile` and returns the bundle's size in bytes. `alias` swaps
 * modules for others on top of the deployed options (the benchmark's variants).
 */
export const buildBundle = async (
  entry: string,
  outfile: string,
  alias: Readonly<Record<string, string>> = {},
): Promise<number> => {
  await build({ ...options, alias: { ...options.alias, ...alias }, entryPoints: [entry], outfile });
  return (await stat(outfile)).size;
};

if (import.meta.main) {
  for (const entry of ['handlers/getRestore.ts', 'handlers/restoreWatcher.ts']) {
    const outfile = join('dist', `${basename(entry, extname(entry))}.mjs`);
    console.log(`${outfile}  ${await buildBundle(entry, outfile)} bytes`);
  }
}
