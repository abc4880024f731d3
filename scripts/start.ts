// `npm start`: the whole service on this machine (spec section 10).
//   dynalite on 127.0.0.1:8000 (or DYNAMODB_ENDPOINT), tables created, sample restores loaded;
//   serverless offline with the API on :3000 and the Lambda invoke endpoint on :3002.
// Ctrl-C or SIGTERM stops everything it started.

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import {
  createTable,
  type EmbeddedStore,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localClient,
  putRestores,
  registerService,
  startDynalite,
} from './local-store.ts';
import { SAMPLE_RESTORES } from './sample-restores.ts';
import { isLoopback } from './table-client.ts';

const env = process.env;
const port = (name: string, fallback: number): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new Error(`${name} is not a port: ${env[name]}`);
  return value;
};
const httpPort = port('HTTP_PORT', 3000);
const lambdaPort = port('LAMBDA_PORT', 3002);
const restoresTable = env['RESTORES_TABLE'] || 'restores';
const authorizedServicesTable = env['AUTHORIZED_SERVICES_TABLE'] || 'authorized_services';
const secToken = env['SEC_TOKEN'] || 'local-dev-token';

let embedded: EmbeddedStore | undefined;
let offline: ChildProcess | undefined;
let stopping = false;

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
  const pid = offline?.pid;
  // serverless offline runs in its own process group: end it and its workers together.
  if (pid !== undefined && signalGroup(pid, 'SIGTERM')) {
    for (let waited = 0; waited < 5000 && signalGroup(pid, 0); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    signalGroup(pid, 'SIGKILL');
  }
  await embedded?.close();
  process.exit(code);
};
// `on`, not `once`: a second Ctrl-C while stopping must not end us before the group is gone.
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const main = async (): Promise<void> => {
  if (!env['DYNAMODB_ENDPOINT']) embedded = await startDynalite(port('DYNAMODB_PORT', 8000));
  const endpoint = embedded?.endpoint ?? String(env['DYNAMODB_ENDPOINT']);
  // A store on this machine takes any credentials, but the SDK insists on some; a remote one
  // gets the caller's own (environment, profile), untouched.
  if (isLoopback(endpoint) && !env['AWS_ACCESS_KEY_ID']) {
    env['AWS_ACCESS_KEY_ID'] = LOCAL_CREDENTIALS.accessKeyId;
    env['AWS_SECRET_ACCESS_KEY'] = LOCAL_CREDENTIALS.secretAccessKey;
  }
  env['AWS_REGION'] ??= LOCAL_REGION;
  console.log(`DynamoDB:  ${endpoint} (${embedded ? 'embedded dynalite, in memory' : 'DYNAMODB_ENDPOINT'})`);

  const client = localClient(endpoint);
  if (await createTable(client, 'RestoresTable', restoresTable)) {
    // Sample data only goes into a table made just now, never over someone's items.
    await putRestores(client, restoresTable, SAMPLE_RESTORES);
    console.log(`Table ${restoresTable}: created with ${SAMPLE_RESTORES.length} sample restores`);
  } else {
    console.log(`Table ${restoresTable}: already there, left as it is`);
  }
  await createTable(client, 'AuthorizedServicesTable', authorizedServicesTable);
  await registerService(client, authorizedServicesTable, {
    name: 'local-dev',
    capabilities: ['ADMIN'],
    token: secToken,
  });
  client.destroy();
  console.log(`Service local-dev: registered with capability ADMIN (token from SEC_TOKEN)`);

  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  offline = spawn(
    process.execPath,
    [serverless, 'offline', 'start', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    {
      env: {
        ...env,
        DYNAMODB_ENDPOINT: endpoint,
        RESTORES_TABLE: restoresTable,
        AUTHORIZED_SERVICES_TABLE: authorizedServicesTable,
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
  // serverless offline logs to both streams; its "Server ready" line comes on stderr.
  const relay = (line: string, write: (line: string) => void): void => {
    write(line);
    if (line.includes('Server ready:')) {
      console.log(`
API:            http://localhost:${httpPort}/api/backup_and_restore/restores/1
Lambda invoke:  http://localhost:${lambdaPort}
Try it:         curl -H 'SEC: ${secToken}' http://localhost:${httpPort}/api/backup_and_restore/restores/1
Ready: the restore service is up. Ctrl-C stops it.`);
    }
  };
  createInterface({ input: stdout }).on('line', (line) => relay(line, console.log));
  createInterface({ input: stderr }).on('line', (line) => relay(line, console.error));
};

main().catch((error: unknown) => {
  console.error(error);
  void stop(1);
});
