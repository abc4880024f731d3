// Runs cfn-lint (a Python tool, not an npm package) on a template file. Its absence is a
// failure with the way to install it, in one line without a stack trace, never a skipped test.

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { type Packaged, resourcesOfType } from './package.ts';

export interface Finding {
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

const run = promisify(execFile);

export const cfnLint = async (file: string): Promise<Finding[]> => {
  try {
    await run('cfn-lint', ['--version']);
  } catch {
    const missing = new Error(
      'The infra tests need cfn-lint, and it is not on PATH: `pip install cfn-lint==1.51.0` ' +
        '(Python 3), then run the tests again.',
    );
    missing.name = 'MissingPrerequisite';
    missing.stack = `${missing.name}: ${missing.message}`;
    throw missing;
  }
  try {
    // Exit code 0: nothing found; otherwise a bit mask of the levels found, with the JSON.
    const { stdout } = await run('cfn-lint', ['--format', 'json', '--', file], { maxBuffer: 16 << 20 });
    return JSON.parse(stdout || '[]') as Finding[];
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (stdout?.trimStart().startsWith('[')) return JSON.parse(stdout) as Finding[];
    throw new Error(`cfn-lint failed on ${file}:\n${stdout}\n${stderr}`, { cause: error });
  }
};

/**
 * cfn-lint warnings explained in docs/OPERATIONS.md ("cfn-lint warnings"), each ignored by
 * rule id only. W3005: serverless adds a DependsOn beside a Ref/GetAtt that already orders
 * the two resources (function on its role, route on its integration, stage on its log group);
 * redundant, harmless, and not ours to edit.
 */
export const EXPLAINED: ReadonlySet<string> = new Set(['W3005']);

/** The resource types infra/plugins generate. */
const GENERATED_BY_US = [
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Lambda::Alias',
  'AWS::CodeDeploy::DeploymentGroup',
  'AWS::Logs::MetricFilter',
  'AWS::ApiGatewayV2::DomainName',
  'AWS::ApiGatewayV2::ApiMapping',
  'AWS::Route53::RecordSet',
];

/** The resources the infra/*.json fragments define. */
const fragmentResources = async (): Promise<string[]> => {
  const folder = new URL('../../infra/', import.meta.url);
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json'));
  const fragments = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(new URL(f, folder), 'utf8')) as { Resources?: object }),
  );
  return fragments.flatMap((f) => Object.keys(f.Resources ?? {}));
};

/**
 * What cfn-lint finds in a packaged template beyond the explained warnings, and any explained
 * warning about a resource of ours (the explanation covers only what serverless generates).
 */
export const lintProblems = async ({ template, templateFile }: Packaged): Promise<Finding[]> => {
  const ours = new Set([
    ...(await fragmentResources()),
    ...GENERATED_BY_US.flatMap((type) => resourcesOfType(template, type)).map(([id]) => id),
  ]);
  return (await cfnLint(templateFile)).filter(
    (f) => !EXPLAINED.has(f.Rule.Id) || ours.has(String(f.Location.Path[1])),
  );
};
