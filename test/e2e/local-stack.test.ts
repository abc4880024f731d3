// `npm start` as a newcomer meets it: the stack starts, answers over HTTP, and stops cleanly.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchChecked } from '../../local/harness/contract.ts';
import { type LocalStack, portClosed, startLocalStack } from '../../local/harness/local-stack.ts';
import { SAMPLE_RESTORES } from '../../local/sample-restores.ts';
import { errorBody, SECURITY_HEADERS } from '../support/responses.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

const restores = (path: string, headers: Record<string, string> = {}) =>
  fetchChecked(`${stack.httpUrl}/api/backup_and_restore/restores/${path}`, {
    headers: { SEC: 'local-dev-token', ...headers },
  });

describe('the local stack', () => {
  it('prints the addresses, the function names and a ready line', () => {
    expect(stack.output()).toContain(`API:            ${stack.httpUrl}/api/backup_and_restore/restores/1`);
    expect(stack.output()).toContain(`Lambda invoke:  ${stack.lambdaUrl}`);
    expect(stack.output()).toContain('getRestore: qradar-restores-dev-getRestore');
    expect(stack.output()).toContain(
      `curl -H 'SEC: local-dev-token' ${stack.httpUrl}/api/backup_and_restore/restores/1`,
    );
    expect(stack.output()).toContain('Ready: the restore service is up.');
    // Every sample id, so a newcomer knows what to ask for.
    const listed = /^Sample ids: +(.+)$/m.exec(stack.output())?.[1] ?? '';
    expect(listed.split(', ')).toEqual(SAMPLE_RESTORES.map(({ id, status }) => `${id} ${status}`));
    const listCall = /The list: +curl -H 'SEC: local-dev-token' -H 'Range: items=0-49' '(http:[^']+)'/.exec(
      stack.output(),
    );
    expect(listCall?.[1]).toBe(
      `${stack.httpUrl}/api/backup_and_restore/restores?filter=status%20in%20(PENDING%2C%20IN_PROGRESS)&sort=-time_initiated`,
    );
  });

  it("answers the banner's list call through the edge: filtered, sorted, ranged", async () => {
    const url = /The list: +curl .* '(http:[^']+)'/.exec(stack.output())?.[1] ?? '';
    const response = await fetchChecked(url, { headers: { SEC: 'local-dev-token', Range: 'items=0-49' } });
    expect(response.status).toBe(200);
    const body = response.json() as { id: number; status: string; time_initiated: number }[];
    const expected = SAMPLE_RESTORES.filter((r) => r.status === 'PENDING' || r.status === 'IN_PROGRESS');
    expect(body.map((r) => r.status).sort()).toEqual(expected.map((r) => r.status).sort());
    const times = body.map((r) => BigInt(r.time_initiated));
    expect(times).toEqual([...times].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(response.headers.get('content-range')).toBe(`items 0-${expected.length - 1}/${expected.length}`);
    // The Long above 2^53 among them, every digit exact in the list too.
    expect(response.body).toContain('"id":9007199254740993');
  });

  it('serves a sample restore in every status, with the section 7 headers', async () => {
    const statuses = new Set<string>();
    for (const sample of SAMPLE_RESTORES) {
      const response = await restores(String(sample['id']));
      expect(response.status).toBe(200);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(response.headers.get(name)).toBe(value);
      const body = (await response.json()) as { id: number; status: string };
      expect(body.status).toBe(sample['status']);
      statuses.add(body.status);
    }
    expect([...statuses].sort()).toEqual([
      'FAILED',
      'INITIALIZING',
      'IN_PROGRESS',
      'PENDING',
      'REQUESTING',
      'SUCCESS',
    ]);
  });

  it('keeps a Long above 2^53 exact over HTTP', async () => {
    const text = (await restores('9007199254740993?fields=id,host_id')).body;
    expect(text).toBe('{"id":9007199254740993,"host_id":9223372036854775807}');
  });

  it('answers a miss, a bad id, bad fields and a refused Accept with QRadar bodies', async () => {
    const miss = await restores('424242');
    expect(miss.status).toBe(404);
    expect(await miss.json()).toEqual(errorBody(404, 1001, 'No restore was found with the id 424242.'));

    const badId = await restores('12abc');
    expect(badId.status).toBe(422);
    expect(((await badId.json()) as { code: number }).code).toBe(11);

    const badFields = await restores(`1?fields=${encodeURIComponent('id,(status')}`);
    expect(badFields.status).toBe(422);
    expect(((await badFields.json()) as { code: number }).code).toBe(31);

    const html = await restores('1', { Accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(html.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });

  it('stops every process it started on SIGTERM', async () => {
    const port = Number(new URL(stack.httpUrl).port);
    expect(await stack.stop()).toBe(0);
    expect(await portClosed(port)).toBe(true);
  });
});
