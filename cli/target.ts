// Where the table tools (`npm run import`, `sync`, `token`, `user`) write. One rule for all:
//   - by default (or with --local): the local stack, `npm start`'s store: DYNAMODB_ENDPOINT when
//     set, http://127.0.0.1:8000 otherwise; its tables (RESTORES_TABLE, ... or npm start's
//     names). Never AWS: a newcomer's command cannot reach an account by accident.
//   - with --stage STAGE: that deployed stage on AWS, its table names from serverless.yml's
//     params, in the region it was deployed to (--region, else the one serverless.yml
//     deploys to), with the usual AWS credentials (environment, AWS_PROFILE, SSO).
// --table names another table in either place.

import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { CFN_SCHEMA } from '../infra/serverless-file.ts';
import { DEFAULT_REGION, isTableName, TABLE_VARIABLES } from '../lib/config.ts';
import { localTableNames, type TableNames } from '../lib/store/tables.ts';

/** The local stack's store when DYNAMODB_ENDPOINT is not set: `npm start`'s dynalite. */
export const LOCAL_ENDPOINT = 'http://127.0.0.1:8000';

/** The options every table tool takes (parseArgs form), and how its usage line shows them. */
export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  stage: { type: 'string' },
  region: { type: 'string' },
} as const;
export const TARGET_USAGE = '[--local | --stage STAGE [--region REGION]]';

export interface TargetArgs {
  readonly local?: boolean | undefined;
  readonly stage?: string | undefined;
  readonly region?: string | undefined;
}

export interface TableTarget {
  /** The store's address; undefined: AWS's own DynamoDB endpoint for `region`. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly tables: TableNames;
  /** The stage on AWS, or undefined for the local stack. */
  readonly stage: string | undefined;
  /** Where, for the user: "the local stack at URL" or "stage prod (us-east-1)". */
  readonly where: string;
}

/** Arguments that cannot name a target; the message is for the user, with the usage line. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

const STAGE = /^[A-Za-z0-9-]{1,64}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/;
const TABLE_SETTINGS = ['restoresTable', 'authorizedServicesTable', 'authorizedUsersTable'] as const;

interface ServerlessFile {
  readonly service?: unknown;
  readonly provider?: { readonly region?: unknown };
  readonly params?: Record<string, Record<string, unknown> | undefined>;
}

/** `${self:service}` and `${sls:stage}` in a value of serverless.yml, as osls resolves them. */
const resolveValue = (value: unknown, file: ServerlessFile, stage: string): string | undefined =>
  typeof value === 'string'
    ? value.replace(/\$\{self:service\}/g, String(file.service)).replace(/\$\{sls:stage\}/g, stage)
    : undefined;

/** The tables and region of a deployed stage, from serverless.yml (read from the project's root). */
const stageTarget = async (stage: string, region: string | undefined, path: string): Promise<TableTarget> => {
  if (!STAGE.test(stage)) throw new TargetError(`not a stage name: ${stage}`);
  const file = yaml.load(await readFile(path, 'utf8'), { schema: CFN_SCHEMA }) as ServerlessFile;
  const params = file.params?.[stage];
  if (params === undefined) {
    const known = Object.keys(file.params ?? {}).filter((name) => name !== 'default');
    throw new TargetError(`serverless.yml has no stage ${stage} (its stages: ${known.join(', ')})`);
  }
  const tables = {} as Record<keyof TableNames, string>;
  for (const setting of TABLE_SETTINGS) {
    const name = resolveValue(params[setting], file, stage);
    if (name === undefined || !isTableName(name)) {
      throw new TargetError(`serverless.yml: stage ${stage} has no table name in params.${setting}`);
    }
    tables[setting] = name;
  }
  // The region the stage deploys to: its own param if it has one, else provider.region's
  // default (`${opt:region, 'us-east-1'}`); a stage deployed with --region needs it here too.
  const deployed =
    resolveValue(params['region'], file, stage) ??
    /'([a-z0-9-]+)'\s*\}$/.exec(String(file.provider?.region ?? ''))?.[1] ??
    resolveValue(file.provider?.region, file, stage);
  const chosen = region ?? deployed;
  if (chosen === undefined || !REGION.test(chosen)) {
    throw new TargetError(`no region for stage ${stage}: give --region REGION`);
  }
  return { endpoint: undefined, region: chosen, tables, stage, where: `stage ${stage} (${chosen})` };
};

/**
 * Where a table tool writes (the rule at the top of this file). Throws TargetError for
 * arguments or settings that name no target.
 */
export const resolveTarget = async (
  { local, stage, region }: TargetArgs,
  env: NodeJS.ProcessEnv = process.env,
  serverlessFile = 'serverless.yml',
): Promise<TableTarget> => {
  if (region !== undefined && !REGION.test(region)) throw new TargetError(`not an AWS region: ${region}`);
  if (stage !== undefined) {
    if (local) throw new TargetError('--local or --stage, not both');
    if (env['DYNAMODB_ENDPOINT']) {
      throw new TargetError(
        `--stage writes to AWS, but DYNAMODB_ENDPOINT is set (${env['DYNAMODB_ENDPOINT']}): unset it, or use --local`,
      );
    }
    return stageTarget(stage, region, serverlessFile);
  }
  if (region !== undefined) throw new TargetError('--region goes with --stage');
  const endpoint = env['DYNAMODB_ENDPOINT'] || LOCAL_ENDPOINT;
  if (!/^https?:$/.test(URL.parse(endpoint)?.protocol ?? '')) {
    throw new TargetError(`DYNAMODB_ENDPOINT is not an http(s) URL: ${endpoint}`);
  }
  const tables = localTableNames(env);
  for (const setting of TABLE_SETTINGS) {
    if (!isTableName(tables[setting])) {
      throw new TargetError(`${TABLE_VARIABLES[setting]} is not a DynamoDB table name: ${tables[setting]}`);
    }
  }
  return {
    endpoint,
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
    tables,
    stage: undefined,
    where: `the local stack at ${endpoint}`,
  };
};

const codeOf = (error: unknown): unknown =>
  (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;

/**
 * A store error as one line for the user. The two a newcomer meets, no local stack running
 * and no AWS credentials, say both ways to name a target instead of the SDK's words.
 */
export const describeStoreError = (error: unknown, target: TableTarget): string => {
  const name = error instanceof Error ? error.name : '';
  if (target.stage === undefined && ['ECONNREFUSED', 'ECONNRESET'].includes(String(codeOf(error)))) {
    return (
      `nothing answers at ${target.endpoint}: start the local stack with \`npm start\` ` +
      '(or set DYNAMODB_ENDPOINT to its store), or write to a deployed stage with --stage STAGE'
    );
  }
  if (name === 'CredentialsProviderError') {
    return (
      `no AWS credentials for ${target.where}: set AWS_PROFILE (or sign in with \`aws sso login\`, or ` +
      'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or write to the local stack with --local'
    );
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
};

/** Where a tool writes restores: the target, and its restores table (`--table` overrides). */
export const restoresTarget = async ({
  table,
  ...where
}: TargetArgs & { readonly table?: string | undefined }): Promise<
  TableTarget & { readonly table: string }
> => {
  const target = await resolveTarget(where);
  return { ...target, table: table ?? target.tables.restoresTable };
};
