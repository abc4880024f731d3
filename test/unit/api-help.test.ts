import { describe, expect, it } from 'vitest';
import spec from '../../docs/openapi.json' with { type: 'json' };
import { handler } from '../../handlers/apiHelp.ts';

const get = (asset?: string) =>
  handler({ pathParameters: asset === undefined ? null : { asset } }) as Promise<{
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  }>;

describe('apiHelp', () => {
  it('serves the page, which loads only assets of this host', async () => {
    const page = await get();
    expect(page.statusCode).toBe(200);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(sources.sort()).toEqual([
      '/api_doc/init.js',
      '/api_doc/swagger-ui-bundle.js',
      '/api_doc/swagger-ui.css',
    ]);
    expect(page.headers['Content-Security-Policy']).toContain("default-src 'self'");
    expect(page.headers['X-Frame-Options']).toBe('DENY');
  });

  it('serves Swagger UI from npm and the OpenAPI document', async () => {
    const bundle = await get('swagger-ui-bundle.js');
    expect(bundle.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.body).toContain('SwaggerUIBundle');
    expect(JSON.parse((await get('openapi.json')).body)).toEqual(spec);
    expect((await get('swagger-ui.css')).statusCode).toBe(200);
    expect((await get('init.js')).body).toContain("url: '/api_doc/openapi.json'");
  });

  it('serves nothing else', async () => {
    for (const name of ['../package.json', 'index.html', 'constructor', '%2e%2e%2fpackage.json']) {
      expect((await get(name)).statusCode).toBe(404);
    }
  });
});
