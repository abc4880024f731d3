// The project's documents link only to what a clone of the project holds.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LINK = /\]\(([^)\s]+)\)/g;

const documents = async (): Promise<string[]> => [
  'README.md',
  ...(await readdir(join(root, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  'bench/NOTES.md',
];

describe('links in README.md and docs/', () => {
  it('point at files inside the repository, and at headings those files have', async () => {
    const broken: string[] = [];
    for (const document of await documents()) {
      const text = await readFile(join(root, document), 'utf8');
      for (const [, target = ''] of text.matchAll(LINK)) {
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [file = '', anchor] = target.split('#');
        const path = file === '' ? join(root, document) : resolve(dirname(join(root, document)), file);
        if (!path.startsWith(root) || !existsSync(path)) {
          broken.push(`${document}: ${target}`);
          continue;
        }
        if (anchor !== undefined && path.endsWith('.md')) {
          const headings = (await readFile(path, 'utf8')).match(/^#+ .+$/gm) ?? [];
          const slugs = headings.map((h) =>
            h
              .replace(/^#+ /, '')
              .toLowerCase()
              .replace(/[^a-z0-9 _-]/g, '')
              .replace(/ /g, '-'),
          );
          if (!slugs.includes(anchor)) broken.push(`${document}: ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the map of rooms in docs/DESIGN.md', () => {
  it('names every room of lib/, and every path it names in code exists', async () => {
    const design = await readFile(join(root, 'docs/DESIGN.md'), 'utf8');
    const map = design.slice(design.indexOf('## Rooms'), design.indexOf('## What runs where'));
    const rooms = (await readdir(join(root, 'lib'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${entry.name}/`);
    expect(rooms.filter((room) => !map.includes(`  ${room}`))).toEqual([]);
    const named = [
      ...design.matchAll(/`((?:lib|handlers|cli|local|scripts|shims|infra|test|bench)\/[\w./-]+)`/g),
    ];
    expect(named.map(([, path = '']) => path).filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });
});
