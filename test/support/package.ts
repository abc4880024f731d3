// Runs `serverless package` (osls) offline and without AWS credentials, in a copy of the
// service of its own, and hands back the generated CloudFormation template.

import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  UpdatePolicy?: Record<string, unknown>;
}

export interface Template {
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Value: unknown }>;
  Parameters?: Record<string, { Default?: unknown; AllowedPattern?: string }>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<string, { Assertions: { Assert: unknown; AssertDescription: string }[] }>;
}

export interface Packaged {
  readonly template: Template;
  /** The generated cloudformation-template-update-stack.json, for tools that read files. */
  readonly templateFile: string;
  /** The folder with the template and each function's zip. */
  readonly folder: string;
}

const CREDENTIAL_VARIABLES = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/;

/**
 * What a deploying shell might still hold from a local run: none of it may reach a template
 * (the tests that read table names and origins prove it).
 */
export const STRAY_SHELL_SETTINGS: Readonly<Record<string, string>> = {
  RESTORES_TABLE: 'from-the-shell-restores',
  AUTHORIZED_SERVICES_TABLE: 'from-the-shell-services',
  AUTHORIZED_USERS_TABLE: 'from-the-shell-users',
  CORS_ALLOWED_ORIGINS: 'https://from-the-shell.example',
  EVENT_BUS_NAME: 'from-the-shell-bus',
};

/** prod refuses to build without an alarm address (infra/plugins/stage-checks.cjs); tests give this one. */
export const PROD_ALARMS: Readonly<Record<string, string>> = { alarmEmail: 'restores-oncall@example.org' };

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Not part of what serverless packages; the rest of the repository is copied. */
const NOT_PACKAGED = new Set(['node_modules', 'test', 'bench', 'dist']);

/**
 * The service's files in a folder of their own, node_modules linked: serverless-esbuild
 * moves every zip through the service's `.serverless/`, which a second packaging run in
 * the same folder (another test file, `npm run package`) would empty under it.
 */
export const copyOfService = async (into: string): Promise<void> => {
  await mkdir(into);
  for (const entry of await readdir(root)) {
    if (entry.startsWith('.') || NOT_PACKAGED.has(entry)) continue;
    await cp(join(root, entry), join(into, entry), { recursive: true });
  }
  await symlink(join(root, 'node_modules'), join(into, 'node_modules'), 'dir');
};

/**
 * Packages one stage, with stage params overridden as `--param name=value` would; rejects
 * with serverless's own output when it fails.
 */
export const packageStage = async (stage = 'dev', params: Record<string, string> = {}): Promise<Packaged> => {
  const work = await mkdtemp(join(tmpdir(), `restores-package-${stage}-`));
  const service = join(work, 'service');
  const folder = join(work, 'package');
  await copyOfService(service);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CREDENTIAL_VARIABLES.test(name)),
  );
  // No ~/.aws either: the template must build without any credentials at all.
  env['HOME'] = work;
  Object.assign(env, STRAY_SHELL_SETTINGS);
  delete env['ESBUILD_WORK_FOLDER'];
  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  try {
    await promisify(execFile)(
      process.execPath,
      [
        serverless,
        'package',
        '--stage',
        stage,
        '--package',
        folder,
        ...Object.entries(params).map(([name, value]) => `--param=${name}=${value}`),
      ],
      { env, cwd: service },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed:\n${stdout}\n${stderr}`, { cause: error });
  } finally {
    await rm(service, { recursive: true, force: true });
  }
  const templateFile = join(folder, 'cloudformation-template-update-stack.json');
  return { template: JSON.parse(await readFile(templateFile, 'utf8')) as Template, templateFile, folder };
};

export const packageService = async (stage = 'dev'): Promise<Template> =>
  (await packageStage(stage)).template;

export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
