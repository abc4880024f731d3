// `npm start`: the whole service on this machine (contract section 10).
//   dynalite on 127.0.0.1:8000 (or DYNAMODB_ENDPOINT), tables created, sample restores loaded;
//   serverless offline running the functions, its Lambda invoke endpoint on :3002;
//   the local HTTP edge on :3000 (local/edge.ts): API Gateway's HTTP API as on AWS, which
//   invokes the functions through that endpoint. serverless offline's own HTTP server listens
//   on a free loopback port that nothing is told about (contract 11.7: none of it reaches callers).
// Every way of stopping it stops everything it started: Ctrl-C, SIGTERM or SIGHUP, sent to
// it or to npm (package.json execs it in npm's shell, so npm's forwarded signal reaches it),
// and its parent's death (npm killed outright), which it polls for. Killed outright itself,
// it takes everything with it: dynalite and the edge run in its own process, and serverless
// offline polls for its parent's death in turn (PARENT_GUARD).

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_REGION, isTableName } from '../lib/config.ts';
import { localTableNames, tableEnv } from '../lib/store/tables.ts';
import { isLoopback, LOCAL_CREDENTIALS } from '../lib/store/tool-client.ts';
import { DEFAULT_SEC_TOKEN, DEV_SERVICE, type Lease, leaseService } from './dev-service.ts';
import { type EmbeddedStore, localClient, prepareStore, startDynalite } from './dynalite.ts';
import { readRoutes, startEdge } from './edge.ts';
import { SAMPLE_RESTORES } from './sample-restores.ts';
import { readSyncSettings, type SyncLoop, startSyncLoop } from './sync-loop.ts';

const USAGE =
  'usage: [HTTP_PORT=3000] [LAMBDA_PORT=3002] [DYNAMODB_PORT=8000 | DYNAMODB_ENDPOINT=URL] [SEC_TOKEN=TOKEN] ' +
  '[RESTORES_TABLE=NAME] [AUTHORIZED_SERVICES_TABLE=NAME] [AUTHORIZED_USERS_TABLE=NAME] ' +
  '[QRADAR_CONSOLE_URL=https://CONSOLE QRADAR_SEC_TOKEN=TOKEN [QRADAR_CA_FILE=FILE] [SYNC_INTERVAL_SECONDS=60]] npm start';

/** A setting that cannot work: said with the usage line, before anything has started. */
const refuse = (message: string): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
};

const env = process.env;
const port = (name: string, fallback: number): number => {
  const text = env[name] || String(fallback);
  const value = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || value > 65_535) refuse(`${name} is not a port: ${text}`);
  return value;
};
const httpPort = port('HTTP_PORT', 3000);
const lambdaPort = port('LAMBDA_PORT', 3002);
const dynamodbPort = port('DYNAMODB_PORT', 8000);
const external = env['DYNAMODB_ENDPOINT'] || undefined;
if (external !== undefined && !/^https?:$/.test(URL.parse(external)?.protocol ?? '')) {
  refuse(`DYNAMODB_ENDPOINT is not an http(s) URL: ${external}`);
}
const tables = localTableNames(env);
for (const [variable, name] of Object.entries(tableEnv(tables)))
  if (!isTableName(name)) refuse(`${variable} is not a DynamoDB table name: ${name}`);
const secToken = env['SEC_TOKEN'] || DEFAULT_SEC_TOKEN;

/** A list call as a QRadar client makes it: a filter, QRadar's sort, and the first page. */
const listExample = (port: number): string =>
  `http://localhost:${port}/api/backup_and_restore/restores?filter=${encodeURIComponent('status in (PENDING, IN_PROGRESS)')}&sort=-time_initiated`;
// Everyone knows the default token: it may open the embedded store only, which ends with us.
if (external !== undefined && secToken === DEFAULT_SEC_TOKEN) {
  refuse(
    `DYNAMODB_ENDPOINT is set: set SEC_TOKEN to a token of your own (not the public ${DEFAULT_SEC_TOKEN}); ` +
      'it is registered there only while npm start runs',
  );
}

// A console to keep the restores table current from (local/sync-loop.ts), when one is named.
let syncSettings: ReturnType<typeof readSyncSettings>;
try {
  syncSettings = readSyncSettings(env);
} catch (error) {
  refuse(error instanceof Error ? error.message : String(error));
}
let syncLoop: SyncLoop | undefined;

let embedded: EmbeddedStore | undefined;
let lease: Lease | undefined;
let leaseClient: DynamoDBDocumentClient | undefined;
let offline: ChildProcess | undefined;
let edge: Server | undefined;
let stopping = false;

/**
 * Loaded into serverless offline before anything else (`--import`): it runs in a process
 * group of its own, which nothing ends if the runner is killed outright (`kill -9`), so it
 * watches for that itself. Reparented means the runner has gone: it ends its whole group
 * (itself and esbuild's service) at once. A data: URL, so the guard is no file of its own.
 */
const PARENT_GUARD = `data:text/javascript,${encodeURIComponent(`
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(-process.pid, 'SIGKILL');
  }, 250).unref();
`)}`;

const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: free } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
};

/** Signals serverless offline's process group; false once the group has gone. */
const signalGroup = (pid: number, signal: NodeJS.Signals | 0): boolean => {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
};

const stop = async (code: number): Promise<void> => {
  if (stopping) return;
  stopping = true;
  edge?.closeAllConnections();
  edge?.close();
  await syncLoop?.stop();
  const pid = offline?.pid;
  // serverless offline runs in its own process group: end it and its workers together.
  if (pid !== undefined && signalGroup(pid, 'SIGTERM')) {
    for (let waited = 0; waited < 5000 && signalGroup(pid, 0); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    signalGroup(pid, 'SIGKILL');
  }
  try {
    await lease?.release();
    if (lease?.registered)
      console.log(`Service ${DEV_SERVICE.name}: removed from ${tables.authorizedServicesTable}`);
  } catch (error) {
    console.error(
      `Service ${DEV_SERVICE.name}: not removed (${(error as Error).name}); its lease lapses on its own`,
    );
  }
  leaseClient?.destroy();
  await embedded?.close();
  process.exit(code);
};
// `on`, not `once`: a second Ctrl-C while stopping must not end us before the group is gone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));
// Reparented: whoever started us (npm, a shell) has gone without passing a signal on.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 250).unref();

const main = async (): Promise<void> => {
  if (external === undefined) embedded = await startDynalite(dynamodbPort);
  const endpoint = embedded?.endpoint ?? String(external);
  // A store on this machine takes any credentials, but the SDK insists on some; a remote one
  // gets the caller's own (environment, profile), untouched.
  if (isLoopback(endpoint) && !env['AWS_ACCESS_KEY_ID']) {
    env['AWS_ACCESS_KEY_ID'] = LOCAL_CREDENTIALS.accessKeyId;
    env['AWS_SECRET_ACCESS_KEY'] = LOCAL_CREDENTIALS.secretAccessKey;
  }
  env['AWS_REGION'] ??= DEFAULT_REGION;
  console.log(`DynamoDB:  ${endpoint} (${embedded ? 'embedded dynalite, in memory' : 'DYNAMODB_ENDPOINT'})`);

  const created = await prepareStore(endpoint, {
    tables,
    restores: SAMPLE_RESTORES,
    ...(embedded ? { services: [{ ...DEV_SERVICE, token: secToken }] } : {}),
  });
  console.log(
    created.has('restoresTable')
      ? `Table ${tables.restoresTable}: created with ${SAMPLE_RESTORES.length} sample restores`
      : `Table ${tables.restoresTable}: already there, left as it is`,
  );
  const samples = created.has('restoresTable') ? sampleList() : undefined;
  if (embedded) {
    console.log(`Service ${DEV_SERVICE.name}: registered with capability ADMIN (token from SEC_TOKEN)`);
  } else {
    leaseClient = localClient(endpoint);
    lease = await leaseService(leaseClient, tables.authorizedServicesTable, secToken);
    console.log(
      lease.registered
        ? `Service ${DEV_SERVICE.name}: registered with capability ADMIN (token from SEC_TOKEN) until npm start stops`
        : `Service for SEC_TOKEN: already registered in ${tables.authorizedServicesTable}, left as it is`,
    );
  }
  if (stopping) return;
  if (syncSettings !== undefined) {
    leaseClient ??= localClient(endpoint);
    syncLoop = startSyncLoop(syncSettings, { client: leaseClient, table: tables.restoresTable }, (line) =>
      console.log(line),
    );
    console.log(`Sync:      from ${syncSettings.console.origin} every ${syncSettings.intervalMs / 1000} s`);
  }

  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  const hiddenHttpPort = await freePort();
  const corsAllowedOrigins = env['CORS_ALLOWED_ORIGINS'] ?? '';
  offline = spawn(
    process.execPath,
    [
      '--import',
      PARENT_GUARD,
      serverless,
      'offline',
      'start',
      '--httpPort',
      String(hiddenHttpPort),
      '--lambdaPort',
      String(lambdaPort),
      // The local tables and origins instead of the dev stage's (a function's environment
      // in serverless.yml wins over ours).
      `--param=restoresTable=${tables.restoresTable}`,
      `--param=authorizedServicesTable=${tables.authorizedServicesTable}`,
      `--param=authorizedUsersTable=${tables.authorizedUsersTable}`,
      ...(corsAllowedOrigins ? [`--param=corsAllowedOrigins=${corsAllowedOrigins}`] : []),
    ],
    {
      env: {
        ...env,
        DYNAMODB_ENDPOINT: endpoint,
        ...tableEnv(tables),
        LAMBDA_ENDPOINT: `http://localhost:${lambdaPort}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  offline.once('exit', (code) => {
    if (!stopping) {
      console.error(`serverless offline exited (${code}); stopping`);
      void stop(code || 1);
    }
  });
  const { stdout, stderr } = offline;
  if (!stdout || !stderr) throw new Error('serverless offline started without output pipes');
  // Only the public default token is shown; a token of one's own stays off the screen and logs.
  const sec = secToken === DEFAULT_SEC_TOKEN ? `'SEC: ${secToken}'` : `"SEC: $SEC_TOKEN"`;
  const ready = async (): Promise<void> => {
    edge = await startEdge({
      port: httpPort,
      lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
      routes: await readRoutes('serverless.yml', 'dev'),
    });
    if (stopping) return;
    console.log(`
API:            http://localhost:${httpPort}/api/backup_and_restore/restores/1
API page:       http://localhost:${httpPort}/api_doc
Lambda invoke:  http://localhost:${lambdaPort}${samples === undefined ? '' : `\nSample ids:     ${samples}`}
Try it:         curl -H ${sec} http://localhost:${httpPort}/api/backup_and_restore/restores/1
The list:       curl -H ${sec} -H 'Range: items=0-49' '${listExample(httpPort)}'
Ready: the restore service is up. Ctrl-C stops it.`);
  };
  // serverless offline logs to both streams; its "Server ready" line comes on stderr. Its
  // lines about its own HTTP server name a port no caller uses: left out, and so is the box
  // that lists that server's routes (┌ to └), which would otherwise leave its frame behind.
  // So are its three lines for a direct invocation's answered 4xx (section 8 throws a
  // RestoreNotFound or InvalidRequest to the caller by design; the function has logged the
  // request): "Unhandled exception in handler 'f'.", the error, "Unhandled Lambda Error during
  // invoke of 'f': ...". A StoreUnavailable or InternalError keeps them.
  const relay = (write: (line: string) => void) => {
    let inRouteBox = false;
    let held: string | undefined;
    return (line: string): void => {
      const plain = stripVTControlCharacters(line).replace(/^× /, '');
      if (held !== undefined) {
        const first = held;
        held = undefined;
        if (ANSWERED_ERROR.test(plain)) return;
        write(first);
      }
      if (UNHANDLED.test(plain)) {
        held = line;
        return;
      }
      if (ANSWERED_INVOKE.test(plain)) return;
      const start = line.trimStart();
      if (start.startsWith('┌')) inRouteBox = true;
      if (inRouteBox) {
        if (start.startsWith('└')) inRouteBox = false;
        return;
      }
      if (line.includes(`:${hiddenHttpPort}`)) {
        if (line.includes('Server ready:')) void ready().catch(fail);
        return;
      }
      write(line);
    };
  };
  createInterface({ input: stdout }).on('line', relay(console.log));
  createInterface({ input: stderr }).on('line', relay(console.error));
};

/** serverless offline's lines about a thrown error; ANSWERED_* name a direct invocation's 4xx. */
const UNHANDLED = /^Unhandled exception in handler '[^']+'\.$/;
const ANSWERED_ERROR = /^\[(?:RestoreNotFound|InvalidRequest): \{"http_response"/;
const ANSWERED_INVOKE =
  /^Unhandled Lambda Error during invoke of '[^']+': (?:RestoreNotFound|InvalidRequest): \{"http_response"/;
/** The sample restores by id and status, as the banner lists them (`4 IN_PROGRESS, ...`). */
function sampleList(): string {
  return SAMPLE_RESTORES.map(({ id, status }) => `${id} ${status}`).join(', ');
}

function fail(error: unknown): void {
  console.error(`npm start failed: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
  void stop(1);
}

main().catch(fail);
