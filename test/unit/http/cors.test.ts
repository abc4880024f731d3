import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corsHeaders, preflight, readAllowedOrigins } from '../../../lib/http/cors.ts';

const allowed = readAllowedOrigins('https://console.example.com, http://localhost:8080');
const ask = (origin: string, method = 'GET') => ({ origin, 'access-control-request-method': method });

describe('readAllowedOrigins', () => {
  it('is empty by default', () => {
    expect(readAllowedOrigins(undefined).size).toBe(0);
    expect(readAllowedOrigins('').size).toBe(0);
    expect(readAllowedOrigins(' , ,').size).toBe(0);
  });

  it('reads comma-separated origins, blanks and empty entries ignored', () => {
    expect([
      ...readAllowedOrigins(' https://a.example ,,http://127.0.0.1:3000,\thttps://[::1]:8443 ,'),
    ]).toEqual(['https://a.example', 'http://127.0.0.1:3000', 'https://[::1]:8443']);
  });

  it('refuses *: credentialed CORS must name the origin', () => {
    expect(() => readAllowedOrigins('https://a.example,*')).toThrow(/cannot hold \*/);
  });

  it.each([
    ['https://a.example/', /write https:\/\/a.example \(/],
    ['https://a.example/console', /write https:\/\/a.example \(/],
    ['https://a.example?x=1', /write https:\/\/a.example \(/],
    ['https://A.Example', /write https:\/\/a.example \(/],
    ['HTTPS://a.example', /write https:\/\/a.example \(/],
    ['https://a.example:443', /write https:\/\/a.example \(/],
    ['http://a.example:80', /write http:\/\/a.example \(/],
    ['https://user@a.example', /write https:\/\/a.example \(/],
    ['https://bücher.example', /write https:\/\/xn--bcher-kva.example \(/],
    ['a.example', /not an http or https origin/],
    ['//a.example', /not an http or https origin/],
    ['null', /not an http or https origin/],
    ['ftp://a.example', /not an http or https origin/],
    ['chrome-extension://abcdef', /not an http or https origin/],
    ['https://', /not an http or https origin/],
  ])('refuses %j', (value, problem) => {
    expect(() => readAllowedOrigins(value)).toThrow(problem);
  });

  it('accepts exactly what a URL serializes as its origin', () => {
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        const { origin } = new URL(url);
        expect([...readAllowedOrigins(origin)]).toEqual([origin]);
      }),
    );
  });
});

describe('corsHeaders', () => {
  it('names an allowed origin, with credentials and the exposed headers', () => {
    expect(corsHeaders('https://console.example.com', allowed)).toEqual({
      'Access-Control-Allow-Origin': 'https://console.example.com',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'Content-Range, Deprecated',
      Vary: 'Origin',
    });
  });

  it.each([
    undefined,
    '',
    'null',
    '*',
    'https://evil.example',
    'https://Console.example.com',
    'https://console.example.com/',
    'https://console.example.com:443',
    'http://console.example.com',
    'https://console.example.com.evil.example',
    'http://localhost:8081',
  ])('adds nothing for %j', (origin) => {
    expect(corsHeaders(origin, allowed)).toEqual({});
  });

  it('adds nothing when the list is empty', () => {
    expect(corsHeaders('https://console.example.com', new Set())).toEqual({});
  });
});

describe('preflight', () => {
  it('answers an allowed origin with 204 and the CORS headers, listed by name', () => {
    expect(preflight('OPTIONS', ask('http://localhost:8080'), allowed)).toEqual({
      statusCode: 204,
      headers: {
        'Access-Control-Allow-Origin': 'http://localhost:8080',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'SEC, Version, Range, Authorization, Accept, Content-Type',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      },
    });
  });

  it('answers whatever method is asked for: the browser checks it against the list', () => {
    expect(preflight('OPTIONS', ask('https://console.example.com', 'DELETE'), allowed)?.statusCode).toBe(204);
  });

  it.each([
    ['a disallowed origin', 'OPTIONS', ask('https://evil.example')],
    ['an origin differing in case', 'OPTIONS', ask('https://CONSOLE.example.com')],
    ['no Origin', 'OPTIONS', { 'access-control-request-method': 'GET' }],
    ['no Access-Control-Request-Method', 'OPTIONS', { origin: 'https://console.example.com' }],
    ['an empty Access-Control-Request-Method', 'OPTIONS', ask('https://console.example.com', '')],
    ['a GET', 'GET', ask('https://console.example.com')],
    ['a lower-case options', 'options', ask('https://console.example.com')],
  ])('leaves %s to the ordinary flow', (_case, method, headers) => {
    expect(preflight(method, headers, allowed)).toBeUndefined();
  });

  it('never answers *, and only ever names an origin on the list', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('OPTIONS', 'GET', 'HEAD', 'POST'),
        fc.oneof(fc.constantFrom(...allowed, '*', 'null'), fc.string(), fc.webUrl()),
        fc.option(fc.string(), { nil: undefined }),
        (method, origin, requested) => {
          const headers = {
            origin,
            ...(requested === undefined ? {} : { 'access-control-request-method': requested }),
          };
          const answer = preflight(method, headers, allowed);
          const ordinary = corsHeaders(origin, allowed);
          for (const named of [
            answer?.headers['Access-Control-Allow-Origin'],
            ordinary['Access-Control-Allow-Origin'],
          ]) {
            if (named !== undefined) {
              expect(named).toBe(origin);
              expect(allowed.has(named)).toBe(true);
            }
          }
          expect(answer !== undefined).toBe(
            method === 'OPTIONS' && allowed.has(origin) && Boolean(requested),
          );
          expect(JSON.stringify(answer ?? {})).not.toContain('*');
        },
      ),
    );
  });
});
