// npm run openapi: writes docs/openapi.json from lib/help/api-description.ts (scripts/openapi/),
// formatted as `biome format` writes it, so the lint and the generated file agree.
// test/unit/openapi.test.ts fails when the committed file differs from what this writes.

import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from './openapi/document.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = 'docs/openapi.json';

/** The document as biome formats JSON (exact Longs stay exact through JSON.rawJSON). */
export const openApiText = (): string => {
  const formatted = spawnSync(`${ROOT}node_modules/.bin/biome`, ['format', `--stdin-file-path=${TARGET}`], {
    cwd: ROOT,
    input: `${JSON.stringify(openApiDocument())}\n`,
    encoding: 'utf8',
  });
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  return formatted.stdout;
};

if (import.meta.main) {
  await writeFile(`${ROOT}${TARGET}`, openApiText());
  console.log(`wrote ${TARGET}`);
}
