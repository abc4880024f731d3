// Runs `serverless package` (osls) once into a temporary folder, offline and without AWS
// credentials, and hands back the generated CloudFormation template.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

const CREDENTIAL_VARIABLES = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/;

export const packageService = async (): Promise<Template> => {
  const out = await mkdtemp(join(tmpdir(), 'restores-package-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CREDENTIAL_VARIABLES.test(name)),
  );
  // No ~/.aws either: the template must build without any credentials at all.
  env['HOME'] = out;
  delete env['RESTORES_TABLE'];
  delete env['AUTHORIZED_SERVICES_TABLE'];
  const serverless = createRequire(import.meta.url).resolve('osls/bin/serverless.js');
  await promisify(execFile)(process.execPath, [serverless, 'package', '--package', out], { env });
  return JSON.parse(
    await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
};

export const resourcesOfType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
