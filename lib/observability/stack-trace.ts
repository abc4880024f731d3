// Readable stacks from the minified bundle. The bundle ships with its source map beside it
// (esbuild `sourcemap: 'external'`); the map is read and parsed only when a stack is first
// written, so a function that never fails pays nothing for it, at cold start or after
// (Node's --enable-source-maps would parse every map at load).

import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(import.meta.url);
let map: SourceMap | null | undefined;

const sourceMap = (): SourceMap | null => {
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
    } catch {
      map = null; // running from source (tests, serverless offline): stacks are readable already
    }
  }
  return map;
};

// "…(file:///var/task/handlers/getRestore.mjs:1:2345)" or "at /var/task/…mjs:1:2345".
const FRAME = /(?:file:\/\/)?(\/[^\s():]+):(\d+):(\d+)/;

/** The first lines of `stack`, each bundle position turned into its source file and line. */
export const readableStack = (stack: string, lines = 12): string[] =>
  stack
    .split('\n')
    .slice(0, lines)
    .map((line) => {
      const frame = FRAME.exec(line);
      if (frame === null || frame[1] !== bundle) return line;
      const found = sourceMap()?.findOrigin(Number(frame[2]), Number(frame[3]));
      if (found === undefined || !('fileName' in found)) return line;
      const file = found.fileName.replace(/^(\.\.\/)+/, '');
      return line.replace(frame[0], `${file}:${found.lineNumber}:${found.columnNumber}`);
    });
