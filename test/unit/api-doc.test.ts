import { describe, expect, it } from 'vitest';
import spec from '../../docs/openapi.json' with { type: 'json' };
import { handler } from '../../handlers/apiDoc.ts';

const get = (asset?: string) =>
  handler({ pathParameters: asset === undefined ? null : { asset } }) as Promise<{
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  }>;

/** The Content-Security-Policy's directives by name. */
const directives = (policy: string | undefined) =>
  new Map(
    (policy ?? '').split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );

describe('apiDoc', () => {
  it('serves the page at /api_doc, which loads only assets of this host', async () => {
    const page = await get();
    expect(page.statusCode).toBe(200);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(sources.sort()).toEqual([
      '/api_doc/init.js',
      '/api_doc/swagger-ui-bundle.js',
      '/api_doc/swagger-ui.css',
    ]);
    expect(page.headers['X-Frame-Options']).toBe('DENY');
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
    const bundle = await get('swagger-ui-bundle.js');
    expect(bundle.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.body).toContain('SwaggerUIBundle');
    expect(JSON.parse((await get('openapi.json')).body)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect((await get('swagger-ui.css')).statusCode).toBe(200);
    expect((await get('init.js')).body).toContain("url: '/api_doc/openapi.json'");
  });

  it('serves nothing else', async () => {
    for (const name of ['../package.json', 'index.html', 'constructor', '%2e%2e%2fpackage.json']) {
      expect((await get(name)).statusCode).toBe(404);
    }
  });
});
