// Runs cfn-lint (a Python tool, not an npm package) on a template file. Its absence is a
// failure with the way to install it, in one line without a stack trace, never a skipped test.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
