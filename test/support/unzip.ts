// Unpacks a function's zip as Lambda does into its task root: the files of the central
// directory, stored or deflated (all serverless writes). No zip library for these few lines.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** Writes every file of the zip `file` below `into`; resolves with their names. */
export const unzip = async (file: string, into: string): Promise<string[]> => {
  const zip = await readFile(file);
  // The end record is the last 22 bytes, unless a comment follows it.
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error(`${file} is not a zip`);
  const count = zip.readUInt16LE(end + 10);
  let entry = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(entry) !== CENTRAL_FILE_HEADER) throw new Error(`${file}: bad central directory`);
    const method = zip.readUInt16LE(entry + 10);
    const compressedSize = zip.readUInt32LE(entry + 20);
    const nameLength = zip.readUInt16LE(entry + 28);
    const extraLength = zip.readUInt16LE(entry + 30);
    const commentLength = zip.readUInt16LE(entry + 32);
    const local = zip.readUInt32LE(entry + 42);
    const name = zip.toString('utf8', entry + 46, entry + 46 + nameLength);
    entry += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (zip.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw new Error(`${file}: bad entry ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`${file}: ${name} uses compression method ${method}`);
    const target = resolve(into, name);
    if (!target.startsWith(resolve(into) + sep)) throw new Error(`${file}: ${name} leaves the folder`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, method === 8 ? inflateRawSync(data) : data);
    names.push(name);
  }
  return names;
};
