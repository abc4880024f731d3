// serverless.yml as the local stack and the table tools read it: CloudFormation's short tags
// (!GetAtt, !Ref, ...) only need to parse, not to mean anything.

import yaml from 'js-yaml';

const CFN_TAGS = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'Select', 'Split', 'Condition'];

export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  CFN_TAGS.flatMap((tag) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => ({ [tag]: data }) }),
    ),
  ),
);
