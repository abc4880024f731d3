import { readFile } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import spec from '../../docs/openapi.json' with { type: 'json' };
import { type ApiDocManifest, chooseEncoding, handler } from '../../handlers/apiDoc.ts';
import { buildApiDoc } from '../../scripts/api-doc.ts';

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

let manifest: ApiDocManifest;
beforeAll(async () => {
  manifest = await buildApiDoc();
});

/** A payload 2.0 event of the apiDoc routes: the page (no asset), an asset, or another path. */
const request = ({
  asset,
  path = asset === undefined ? '/api_doc' : `/api_doc/${asset}`,
  acceptEncoding,
}: {
  asset?: string;
  path?: string;
  acceptEncoding?: string;
}) =>
  handler({
    rawPath: path,
    headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    pathParameters: asset === undefined ? null : { asset },
  }) as Promise<Answer>;
const get = (asset?: string) => request(asset === undefined ? {} : { asset });

/** The bytes a browser gets out of an answer. */
const bytesOf = (answer: Answer): Buffer => {
  const raw = Buffer.from(answer.body, answer.isBase64Encoded ? 'base64' : 'utf8');
  const encoding = answer.headers['Content-Encoding'];
  if (encoding === 'br') return brotliDecompressSync(raw);
  if (encoding === 'gzip') return gunzipSync(raw);
  return raw;
};

/** The Content-Security-Policy's directives by name. */
const directives = (policy: string | undefined) =>
  new Map(
    (policy ?? '').split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );

const hashedFile = (name: string): string => {
  const file = manifest.assets[name]?.file;
  if (file === undefined) throw new Error(`no ${name} in the manifest`);
  return file;
};

describe('apiDoc', () => {
  it('serves the page at /api_doc and /api_doc/, which loads only hashed assets of this host', async () => {
    for (const path of ['/api_doc', '/api_doc/']) {
      const page = await request({ path });
      expect(page.statusCode).toBe(200);
      expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(page.headers['Cache-Control']).toBe('public, max-age=60');
      const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
      expect(sources.sort()).toEqual(
        ['favicon.png', 'init.js', 'swagger-ui-bundle.js', 'swagger-ui.css'].map(
          (name) => `/api_doc/${hashedFile(name)}`,
        ),
      );
      expect(page.headers['X-Frame-Options']).toBe('DENY');
    }
  });

  it("lets the page's scripts and requests reach this host, and nothing else", async () => {
    const policy = directives((await get()).headers['Content-Security-Policy']);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    // "Try it out" calls the API on the same host: fetch is governed by connect-src.
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toBeUndefined();
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    for (const sources of policy.values()) {
      expect(sources.filter((source) => /^(https?:|\*|'unsafe-eval')/.test(source))).toEqual([]);
    }
  });

  it('serves Swagger UI from npm and the OpenAPI document, which init.js opens', async () => {
    const bundle = await get(hashedFile('swagger-ui-bundle.js'));
    expect(bundle.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.body).toBe(
      await readFile(
        new URL('../../node_modules/swagger-ui-dist/swagger-ui-bundle.js', import.meta.url),
        'utf8',
      ),
    );
    expect(JSON.parse((await get('openapi.json')).body)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect((await get(hashedFile('swagger-ui.css'))).statusCode).toBe(200);
    expect((await get(hashedFile('init.js'))).body).toContain(
      `url: '/api_doc/${hashedFile('openapi.json')}'`,
    );
  });

  it('lets browsers keep a hashed asset for a year, and one by its plain name briefly', async () => {
    for (const name of Object.keys(manifest.assets)) {
      const hashed = await get(hashedFile(name));
      expect(hashed.statusCode, name).toBe(200);
      expect(hashed.headers['Cache-Control']).toBe('public, max-age=31536000, immutable');
      expect(hashedFile(name)).toMatch(/\.[0-9a-f]{16}\.[a-z]+$/);
      const plain = await get(name);
      expect(plain.headers['Cache-Control']).toBe('public, max-age=60');
      expect(bytesOf(plain).equals(bytesOf(hashed)), name).toBe(true);
    }
  });

  it('answers brotli or gzip as Accept-Encoding takes them, the same bytes, and says it varies', async () => {
    const file = hashedFile('swagger-ui-bundle.js');
    const identity = bytesOf(await get(file));
    for (const [acceptEncoding, encoding] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['br;q=0.5, gzip;q=1', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, *', 'gzip'],
      ['identity', undefined],
      ['*;q=0', undefined],
      ['', undefined],
    ] as const) {
      const answer = await request({ asset: file, acceptEncoding });
      expect(answer.headers['Content-Encoding'], acceptEncoding).toBe(encoding);
      expect(answer.headers['Vary']).toBe('Accept-Encoding');
      expect(answer.isBase64Encoded).toBe(encoding !== undefined);
      expect(bytesOf(answer).equals(identity), acceptEncoding).toBe(true);
    }
    const br = await request({ asset: file, acceptEncoding: 'br' });
    // A precompressed file, not compressed per request: what the build wrote.
    const built = await readFile(new URL(`../../dist/api_doc/${file}.br`, import.meta.url));
    expect(Buffer.from(br.body, 'base64').equals(built)).toBe(true);
  });

  it('answers /favicon.ico with the page icon, and the page names it too', async () => {
    const icon = await request({ path: '/favicon.ico' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['Content-Type']).toBe('image/png');
    expect(icon.headers['Content-Encoding']).toBeUndefined();
    expect(icon.headers['Vary']).toBeUndefined();
    expect(bytesOf(icon)).toEqual(
      await readFile(new URL('../../node_modules/swagger-ui-dist/favicon-32x32.png', import.meta.url)),
    );
  });

  it('serves nothing else', async () => {
    for (const name of [
      '../package.json',
      'index.html',
      'manifest.json',
      'constructor',
      '%2e%2e%2fpackage.json',
    ]) {
      expect((await get(name)).statusCode).toBe(404);
    }
    const stale = hashedFile('init.js').replace(/[0-9a-f]{16}/, '0'.repeat(16));
    expect((await get(stale)).statusCode).toBe(404);
  });
});

describe('chooseEncoding', () => {
  it.each([
    [undefined, undefined],
    ['br', 'br'],
    ['BR', 'br'],
    ['gzip;q=0.001', 'gzip'],
    ['br;q=0.000, gzip;q=0', undefined],
    ['br;q=2', undefined],
    ['br;q=abc, gzip', 'gzip'],
    ['deflate, *;q=0.1', 'br'],
    ['x-gzip', undefined],
  ])('takes %j as %j', (accept, encoding) => {
    expect(chooseEncoding(accept, ['br', 'gzip'])).toBe(encoding);
  });

  it('offers nothing for a file without compressed copies', () => {
    expect(chooseEncoding('br, gzip', [])).toBeUndefined();
  });
});
