// Boots one packaged function as Lambda runs it: its zip unpacked as the task root, Lambda's
// runtime interface client (aws-lambda-ric) started by Node with the environment Lambda
// gives a function of the template (its variables, log format and level, name, version,
// memory), polling a Runtime API stand-in of its own. Nothing of this process's environment
// reaches it but PATH and what `extraEnv` adds.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Resource } from './package.ts';
import { type InvokeOptions, type Outcome, type RuntimeApi, startRuntimeApi } from './runtime-api.ts';
import { unzip } from './unzip.ts';

/** The Node of the `node` devDependency: the one the nodejs24.x runtime matches. */
export const lambdaNode = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin/node');

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
/** The version the `live` alias points at after a first deployment. */
export const FUNCTION_VERSION = '1';

export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface BootedFunction {
  readonly functionName: string;
  readonly taskRoot: string;
  readonly runtime: RuntimeApi;
  /** Resolves once the runtime has initialised and asks for its first invocation. */
  readonly ready: Promise<void>;
  invoke(eventJson: string, options?: InvokeOptions): Promise<Outcome>;
  /** Every line the runtime wrote so far, on stdout and stderr. */
  lines(): readonly LogLine[];
  stop(): Promise<void>;
}

interface FunctionProperties {
  readonly FunctionName: string;
  readonly Handler: string;
  readonly Runtime: string;
  readonly MemorySize: number;
  readonly Timeout: number;
  readonly Environment?: { readonly Variables?: Record<string, string> };
  readonly LoggingConfig?: { readonly LogFormat?: string; readonly ApplicationLogLevel?: string };
}

export interface BootOptions {
  /** The function's zip, as `serverless package` wrote it. */
  readonly zip: string;
  /** The AWS::Lambda::Function resource of the generated template. */
  readonly resource: Resource;
  /** What Lambda would add that a local run must set: credentials, endpoints. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** aws-lambda-ric's index.mjs. */
  readonly runtimeClient: string;
}

/** The environment Lambda sets for a function with these properties (documented reserved variables). */
const lambdaEnvironment = (properties: FunctionProperties, taskRoot: string, runtimeApi: string) => {
  const { FunctionName, Handler, MemorySize, LoggingConfig } = properties;
  return {
    ...properties.Environment?.Variables,
    _HANDLER: Handler,
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    AWS_EXECUTION_ENV: `AWS_Lambda_${properties.Runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: FunctionName,
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MemorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${FunctionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `2026/11/28/[${FUNCTION_VERSION}]0123456789abcdef`,
    ...(LoggingConfig?.LogFormat === undefined ? {} : { AWS_LAMBDA_LOG_FORMAT: LoggingConfig.LogFormat }),
    // Lambda sets the level only for JSON logs, from the application log level.
    ...(LoggingConfig?.LogFormat === 'JSON' && LoggingConfig.ApplicationLogLevel !== undefined
      ? { AWS_LAMBDA_LOG_LEVEL: LoggingConfig.ApplicationLogLevel }
      : {}),
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
  };
};

export const bootFunction = async ({
  zip,
  resource,
  extraEnv = {},
  runtimeClient,
}: BootOptions): Promise<BootedFunction> => {
  const properties = resource.Properties as unknown as FunctionProperties;
  const { FunctionName: functionName } = properties;
  const taskRoot = await mkdtemp(join(tmpdir(), `task-${functionName}-`));
  await unzip(zip, taskRoot);
  const runtime = await startRuntimeApi(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`);
  const lines: LogLine[] = [];
  const child: ChildProcess = spawn(lambdaNode(), [runtimeClient], {
    cwd: taskRoot,
    env: { ...lambdaEnvironment(properties, taskRoot, runtime.address), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream]?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ stream, text });
    });
  }
  const describe = (): string => lines.map(({ stream, text }) => `${stream}: ${text}`).join('\n');
  const exited = once(child, 'exit');
  child.once('exit', (code, signal) =>
    runtime.fail(new Error(`${functionName}'s runtime exited (${code ?? signal}):\n${describe()}`)),
  );
  const ready = Promise.race([
    runtime.polled,
    exited.then(() => {
      throw new Error(`${functionName}'s runtime exited before its first invocation:\n${describe()}`);
    }),
  ]);
  // A test that never awaits it must not see an unhandled rejection.
  ready.catch(() => undefined);
  return {
    functionName,
    taskRoot,
    runtime,
    ready,
    invoke: (eventJson, options) => runtime.invoke(eventJson, options),
    lines: () => lines,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await runtime.close();
      await rm(taskRoot, { recursive: true, force: true });
    },
  };
};
