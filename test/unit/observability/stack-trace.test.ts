import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const { options } = createRequire(import.meta.url)('../../../esbuild.config.cjs') as {
  options: import('esbuild').BuildOptions;
};
const folder = await mkdtemp(join(tmpdir(), 'stack-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

const bundleOf = async (name: string, sourcemap: boolean | 'external') => {
  const outfile = join(folder, `${name}.mjs`);
  await build({ ...options, sourcemap, entryPoints: ['test/fixtures/throws.ts'], outfile });
  return (await import(outfile)) as { stackOfFailure: () => string[] };
};

describe('readableStack in the minified bundle', () => {
  it('names the source file and line, through the map shipped beside the bundle', async () => {
    const { stackOfFailure } = await bundleOf('mapped', 'external');
    expect(options.sourcemap).toBe('external');
    const [message, frame] = stackOfFailure();
    expect(message).toBe('Error: raised on line 5 of test/fixtures/throws.ts');
    expect(frame).toMatch(/test\/fixtures\/throws\.ts:5:\d+/);
  });

  it('leaves the bundle position as it is when there is no map', async () => {
    const { stackOfFailure } = await bundleOf('unmapped', false);
    expect(stackOfFailure()[1]).toMatch(/unmapped\.mjs:\d+:\d+/);
  });
});
