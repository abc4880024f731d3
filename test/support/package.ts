// Runs `serverless package` (osls) once into a temporary folder, offline and without AWS
// credentials, and hands back the generated CloudFormation template.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TABLE_VARIABLES } from '../../lib/config.ts';

export interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** A build folder of this process's own, inside the repository (esbuild resolves from there). */
export const workFolder = (): string =>
  `.esbuild-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

const CREDENTIAL_VARIABLES = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/;

export const packageService = async (): Promise<Template> => {
  const out = await mkdtemp(join(tmpdir(), 'restores-package-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CREDENTIAL_VARIABLES.test(name)),
  );
  // No ~/.aws either: the template must build without any credentials at all.
  env['HOME'] = out;
  for (const variable of Object.values(TABLE_VARIABLES)) delete env[variable];
  env['ESBUILD_WORK_FOLDER'] = workFolder();
  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  try {
    await promisify(execFile)(process.execPath, [serverless, 'package', '--package', out], { env });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed:\n${stdout}\n${stderr}`, { cause: error });
  } finally {
    await rm(new URL(`../../${env['ESBUILD_WORK_FOLDER']}`, import.meta.url), {
      recursive: true,
      force: true,
    });
  }
  return JSON.parse(
    await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
};

export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
