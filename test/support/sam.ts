// The CloudFormation a SAM template becomes, offline: the SAM translator as cfn-lint runs it
// (cfn-lint 1.51 brings it, `pip install cfn-lint==1.51.0`), so a test can compare what SAM
// would deploy rather than the text of the template. Its absence fails, saying how to install it.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Template } from './package.ts';

const TRANSFORM = `
import json, sys
from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform
template, problems = decode(sys.argv[1])
if problems:
    sys.exit("cannot read %s: %s" % (sys.argv[1], problems))
transform = Transform(sys.argv[1], template, "us-east-1")
problems = transform.transform_template()
if problems:
    sys.exit("SAM cannot transform %s: %s" % (sys.argv[1], problems))
print(json.dumps(transform.template(), default=str))
`;

export const transformSam = async (file: string): Promise<Template> => {
  try {
    const { stdout } = await promisify(execFile)('python3', ['-c', TRANSFORM, file], { maxBuffer: 16 << 20 });
    return JSON.parse(stdout) as Template;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(
      `the SAM translator did not run (it comes with cfn-lint: \`pip install cfn-lint==1.51.0\`):\n${stderr}`,
      { cause: error },
    );
  }
};
