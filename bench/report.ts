// Writes a measured section into a Markdown document, between markers that keep the
// hand-written text around it:  <!-- NAME:start --> ... <!-- NAME:end -->
// Only when the command was given `--record` (`npm run bench -- --record`): a measuring run
// otherwise prints its figures and leaves the checkout as it was.

import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { arch, cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const machine = (): string =>
  `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${arch()}, Node ${process.version}`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** True when the command was asked to write its figures into the documents. */
const recording = process.argv.slice(2).includes('--record');

const told = new Set<string>();
/** Says once per document how to record what was only printed. */
const notRecorded = (file: URL): void => {
  const path = relative(ROOT, fileURLToPath(file));
  if (told.has(path)) return;
  told.add(path);
  const command = process.env['npm_lifecycle_event'];
  console.log(
    `Not written into ${path}: ${command ? `npm run ${command} -- --record` : 'add --record'} writes these figures there.`,
  );
};

/** Writes a Markdown document as biome formats it, so a measured run leaves `npm run lint` clean. */
export const writeMarkdown = async (file: URL, text: string): Promise<void> => {
  if (!recording) {
    notRecorded(file);
    return;
  }
  const formatted = spawnSync(
    `${ROOT}node_modules/.bin/biome`,
    ['format', `--stdin-file-path=${file.pathname}`],
    {
      cwd: ROOT,
      input: text,
      encoding: 'utf8',
    },
  );
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  await writeFile(file, formatted.stdout);
};

export const writeSection = async (file: URL, name: string, body: string): Promise<void> => {
  if (!recording) {
    notRecorded(file);
    return;
  }
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = await readFile(file, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file.pathname} has no ${start} … ${end} markers`);
  await writeMarkdown(file, `${text.slice(0, from + start.length)}\n${body.trim()}\n${text.slice(to)}`);
};

export const table = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');

/** The block from `heading` through `<!-- name:end -->` in `text`, or '' when it has none. */
export const blockOf = (text: string, heading: string, name: string): string => {
  const from = text.indexOf(`\n${heading}\n`);
  const end = `<!-- ${name}:end -->`;
  const to = from < 0 ? -1 : text.indexOf(end, from);
  return to < 0 ? '' : text.slice(from + 1, to + end.length);
};
