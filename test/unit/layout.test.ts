// Where modules live: lib/ holds what the functions run; what only the bundler swaps in
// sits beside the bundle options, and the bundle really takes it from there.

import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMPORT = /^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm;

/** The files under lib/ that a handler imports, directly or through other modules. */
const reachableFromHandlers = async (): Promise<Set<string>> => {
  const handlers = (await readdir(join(root, 'handlers'))).map((file) => join(root, 'handlers', file));
  const seen = new Set<string>();
  const queue = [...handlers];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue; // data (lib/versions.json) imports nothing
    for (const [, specifier] of (await readFile(file, 'utf8')).matchAll(IMPORT))
      if (specifier) queue.push(resolve(dirname(file), specifier));
  }
  return new Set([...seen].map((file) => relative(root, file)).filter((file) => file.startsWith('lib/')));
};

/** Every .ts file under `folders`, relative to the root. */
const tsFiles = async (...folders: string[]): Promise<string[]> => {
  const files: string[] = [];
  for (const folder of folders)
    for (const entry of await readdir(join(root, folder), { recursive: true }))
      if (entry.endsWith('.ts')) files.push(join(folder, entry));
  return files;
};

describe('the layout of the code', () => {
  it('exports from bench/ and test/support/ only values something else imports', async () => {
    const everything = await tsFiles('bench', 'build', 'handlers', 'lib', 'scripts', 'test');
    const texts = new Map(
      await Promise.all(
        everything.map(async (file) => [file, await readFile(join(root, file), 'utf8')] as const),
      ),
    );
    const unused: string[] = [];
    for (const file of await tsFiles('bench', 'test/support')) {
      const exported = (texts.get(file) ?? '').matchAll(
        /^export (?:async )?(?:const|function|class) (\w+)/gm,
      );
      for (const [, name] of exported) {
        const word = new RegExp(`\\b${name}\\b`);
        if (![...texts].some(([other, text]) => other !== file && word.test(text)))
          unused.push(`${file}: ${name}`);
      }
    }
    expect(unused).toEqual([]);
  });

  it('keeps in lib/ only modules a handler runs', async () => {
    const reachable = await reachableFromHandlers();
    const lib = (await readdir(join(root, 'lib'))).map((file) => `lib/${file}`);
    expect(lib.filter((file) => !reachable.has(file))).toEqual([]);
  });

  it('bundles the build shims from beside the bundle options', async () => {
    const { options } = createRequire(import.meta.url)('../../esbuild.config.cjs') as {
      options: import('esbuild').BuildOptions;
    };
    const { metafile } = await build({
      ...options,
      entryPoints: [join(root, 'handlers/getRestore.ts')],
      write: false,
      metafile: true,
      outfile: 'getRestore.mjs',
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('build/env-credentials.ts');
    expect(inputs).toContain('build/no-event-streams.ts');
    expect(inputs).toContain('build/lru-cache.ts');
    expect(inputs).toContain('build/no-js-sha256.ts');
    expect(inputs.some((input) => /mnemonist|obliterator|Sha256Js/.test(input))).toBe(false);
    expect(inputs.some((input) => input.includes('credential-provider-node'))).toBe(false);
  }, 30_000);
});
