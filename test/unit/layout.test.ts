// Fitness of the layout (docs/DESIGN.md, "Rooms"): each room imports only from the rooms
// below it, the QRadar conventions stand on nothing else of lib/, and no function bundle
// carries a table writer, dynalite or an operator command.

import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const IMPORT = /^(?:import|export)\s[^;]*?from\s+'([^']+)'/gm;

/** Every .ts file under `folders`, relative to the root. */
const tsFiles = async (...folders: string[]): Promise<string[]> => {
  const files: string[] = [];
  for (const folder of folders)
    for (const entry of await readdir(join(root, folder), { recursive: true }))
      if (entry.endsWith('.ts')) files.push(join(folder, entry));
  return files;
};

/** Each file's imports: relative ones as root-relative paths, packages by name. */
const importsOf = async (file: string): Promise<string[]> =>
  [...(await readFile(join(root, file), 'utf8')).matchAll(IMPORT)].map(([, specifier = '']) =>
    specifier.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), specifier)) : specifier,
  );

/** `from` → `to` for every import of a file under `folders` that satisfies `wrong`. */
const importsWhere = async (folders: string[], wrong: (from: string, to: string) => boolean) => {
  const found: string[] = [];
  for (const file of await tsFiles(...folders))
    for (const target of await importsOf(file)) if (wrong(file, target)) found.push(`${file} -> ${target}`);
  return found;
};

const under = (path: string, ...folders: string[]): boolean => folders.some((f) => path.startsWith(`${f}/`));

const { options } = createRequire(import.meta.url)('../../esbuild.config.cjs') as {
  options: import('esbuild').BuildOptions;
};

/** The input files of one handler's bundle, as esbuild's metafile names them. */
const bundleInputs = async (handler: string): Promise<string[]> => {
  const { metafile } = await build({
    ...options,
    entryPoints: [join(root, `handlers/${handler}.ts`)],
    write: false,
    metafile: true,
    outfile: `${handler}.mjs`,
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs);
};

describe('the rooms of the code', () => {
  it('keeps lib/qradar/ free of the rest of lib/ and of AWS', async () => {
    const wrong = await importsWhere(
      ['lib/qradar'],
      (_, to) => (under(to, 'lib') && !under(to, 'lib/qradar')) || to.startsWith('@aws-sdk/'),
    );
    expect(wrong).toEqual([]);
  });

  it('never imports operator commands, the local stack, build tools or tests from lib/ or handlers/', async () => {
    const wrong = await importsWhere(['lib', 'handlers'], (_, to) =>
      under(to, 'cli', 'local', 'scripts', 'test', 'bench'),
    );
    expect(wrong).toEqual([]);
  });

  it('keeps tests out of everything that ships or measures', async () => {
    const wrong = await importsWhere(
      ['lib', 'handlers', 'cli', 'local', 'scripts', 'bench', 'shims'],
      (_, to) => under(to, 'test'),
    );
    expect(wrong).toEqual([]);
  });

  it('lets the local stack and the operator commands stand on lib/, never on each other', async () => {
    const wrong = await importsWhere(['cli'], (_, to) => under(to, 'local', 'scripts', 'bench'));
    wrong.push(...(await importsWhere(['local'], (_, to) => under(to, 'cli', 'bench'))));
    expect(wrong).toEqual([]);
  });

  it('exports from bench/, local/harness/ and test/support/ only values something else imports', async () => {
    const everything = await tsFiles('bench', 'shims', 'handlers', 'lib', 'cli', 'local', 'scripts', 'test');
    const texts = new Map(
      await Promise.all(
        everything.map(async (file) => [file, await readFile(join(root, file), 'utf8')] as const),
      ),
    );
    const unused: string[] = [];
    for (const file of await tsFiles('bench', 'local/harness', 'test/support')) {
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
});

describe('what the function bundles hold', () => {
  const SERVING = ['getRestore', 'listRestores', 'api', 'apiDoc'];

  it.each(SERVING)(
    '%s: no table writer, console reader, dynalite, operator command or local stack',
    async (handler) => {
      const inputs = await bundleInputs(handler);
      const forbidden = inputs.filter(
        (input) =>
          /^(cli|local|scripts|test|bench)\//.test(input) ||
          /^lib\/(sync|qradar-console)\//.test(input) ||
          [
            'lib/store/batches.ts',
            'lib/store/restore-writes.ts',
            'lib/auth/registry.ts',
            'lib/restore/item.ts',
            'lib/store/tool-client.ts',
          ].includes(input) ||
          /node_modules\/dynalite\//.test(input),
      );
      expect(forbidden).toEqual([]);
    },
    30_000,
  );

  it("keeps the list's code out of getRestore's bundle, so its size and cold start do not move", async () => {
    const inputs = await bundleInputs('getRestore');
    const listCode = [
      'lib/restore/list.ts',
      'lib/store/scan.ts',
      'lib/store/filter-expression.ts',
      'lib/qradar/sort.ts',
      'lib/qradar/filter.ts',
      'lib/http/parseListQuery.ts',
      'lib/http/body-size.ts',
    ];
    expect(inputs.filter((input) => listCode.includes(input))).toEqual([]);
    expect((await bundleInputs('listRestores')).filter((input) => listCode.includes(input)).sort()).toEqual(
      [...listCode].sort(),
    );
  }, 30_000);

  it('publishStatusChanges: reads stream images without a DynamoDB client, and nothing of the stores or the tools', async () => {
    const inputs = await bundleInputs('publishStatusChanges');
    const forbidden = inputs.filter(
      (input) =>
        /^(cli|local|scripts|test|bench|lib\/store|lib\/auth)\//.test(input) ||
        /node_modules\/(@aws-sdk\/(client-dynamodb|lib-dynamodb)|dynalite)\//.test(input),
    );
    expect(forbidden).toEqual([]);
    expect(inputs).toContain('lib/restore/restore.ts');
  }, 30_000);

  it('bundles the build shims from shims/, beside the bundle options', async () => {
    const inputs = await bundleInputs('getRestore');
    expect(inputs).toContain('shims/env-credentials.ts');
    expect(inputs).toContain('shims/no-event-streams.ts');
    expect(inputs).toContain('shims/lru-cache.ts');
    expect(inputs).toContain('shims/no-js-sha256.ts');
    expect(inputs).toContain('shims/no-imds-region.ts');
    expect(
      inputs.some((input) => /mnemonist|obliterator|Sha256Js|getInstanceMetadataRegion/.test(input)),
    ).toBe(false);
    expect(inputs.some((input) => input.includes('credential-provider-node'))).toBe(false);
  }, 30_000);
});
