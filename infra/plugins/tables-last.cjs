// The tables are created after every other resource of the stack, so that a first deploy that
// fails (a reserved concurrency beyond the account's quota, a certificate that does not match
// the domain, ...) fails before any table exists. Their DeletionPolicy, RetainExceptOnCreate,
// lets CloudFormation delete a table the failed operation created, but deletion protection
// (prod) refuses that delete, and a retained table stops the retry with "already exists".
//
// Nothing may then wait on a table: the names are fixed (the stage's params), so a reference to
// a table's name or ARN is written out, and the roles, alarms and dashboard no longer depend on
// it. A stream's ARN ends in a label DynamoDB chooses: in an IAM policy it is written out as
// the table's streams (TABLE/stream/*), so that the role and its function come first too; a
// resource that needs the stream itself (the event source mapping) keeps its reference and is
// created after the table, the one resource that is.

'use strict';

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Resources whose properties are IAM policies, where an ARN may be a pattern. */
const POLICY_HOLDERS = new Set(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);

/** The resources a node names: Ref, Fn::GetAtt, and ${Id} or ${Id.Attribute} in Fn::Sub. */
const referencesIn = (node, into = new Set()) => {
  if (Array.isArray(node)) {
    for (const item of node) referencesIn(item, into);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') into.add(value);
      else if (key === 'Fn::GetAtt' && Array.isArray(value)) into.add(String(value[0]).split('.')[0]);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        for (const [, id] of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) into.add(id);
        if (Array.isArray(value)) referencesIn(value[1], into);
      } else referencesIn(value, into);
    }
  }
  return into;
};

class TablesLast {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.order(),
    };
  }

  order() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const names = new Map(
      Object.entries(resources)
        .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
        .map(([id, r]) => [id, r.Properties.TableName]),
    );
    for (const [id, name] of names) {
      if (typeof name !== 'string') throw new Error(`tables-last: ${id} has no fixed TableName`);
    }
    const tableArn = (id, suffix = '') => ({
      'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${names.get(id)}${suffix}`,
    });
    /** A node with its table references written out; a stream's ARN too, in a policy. */
    const writtenOut = (node, inPolicy) => {
      if (Array.isArray(node)) return node.map((item) => writtenOut(item, inPolicy));
      if (!isObject(node)) return node;
      const keys = Object.keys(node);
      if (keys.length === 1 && keys[0] === 'Ref' && names.has(node.Ref)) return names.get(node.Ref);
      if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
        const [id, attribute] = node['Fn::GetAtt'];
        if (names.has(id) && attribute === 'Arn') return tableArn(id);
        if (names.has(id) && attribute === 'StreamArn' && inPolicy) return tableArn(id, '/stream/*');
      }
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => [key, writtenOut(value, inPolicy)]),
      );
    };
    for (const [id, resource] of Object.entries(resources)) {
      if (names.has(id) || !resource.Properties) continue;
      resource.Properties = writtenOut(resource.Properties, POLICY_HOLDERS.has(resource.Type));
    }

    // What still waits on a table, directly or through another resource, must come after it.
    const direct = new Map(
      Object.entries(resources).map(([id, r]) => [
        id,
        referencesIn([
          r.Properties,
          r.DependsOn === undefined ? [] : [r.DependsOn].flat().map((d) => ({ Ref: d })),
        ]),
      ]),
    );
    const waitsOnTable = new Set(names.keys());
    for (let grew = true; grew; ) {
      grew = false;
      for (const [id, refs] of direct) {
        if (waitsOnTable.has(id)) continue;
        if ([...refs].some((ref) => waitsOnTable.has(ref))) {
          waitsOnTable.add(id);
          grew = true;
        }
      }
    }
    // A conditional resource may not exist: nothing may depend on it unconditionally.
    const before = Object.entries(resources)
      .filter(([id, r]) => !waitsOnTable.has(id) && !r.Condition)
      .map(([id]) => id)
      .sort();
    for (const id of names.keys()) resources[id].DependsOn = before;
  }
}

module.exports = TablesLast;
