// What CloudFormation makes of a template's conditional parts for given parameter values:
// Ref to a parameter or AWS::NoValue, Fn::If, Fn::Not, Fn::Equals, Fn::Split and Fn::Join of text, which is
// what the templates' optional settings (CORS, the alarm e-mail) are written with. Any other
// intrinsic, and a Ref to a resource, is left as written.

type Json = Record<string, unknown>;

interface Stack {
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, unknown>;
}

/** Marks a value CloudFormation removes (Ref AWS::NoValue). */
const NO_VALUE = Symbol('AWS::NoValue');

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `value` as deployed from `stack` with `overrides` for its parameters (their defaults
 * otherwise); undefined when it resolves to AWS::NoValue.
 */
export const resolveIn = (stack: Stack, value: unknown, overrides: Record<string, string> = {}): unknown => {
  const parameter = (name: string): unknown => {
    if (name in overrides) return overrides[name];
    const declared = stack.Parameters?.[name];
    if (declared === undefined) throw new Error(`no parameter ${name}`);
    return declared.Default;
  };
  const condition = (name: unknown): boolean => {
    const declared = stack.Conditions?.[String(name)];
    if (declared === undefined) throw new Error(`no condition ${String(name)}`);
    const result = resolve(declared);
    if (typeof result !== 'boolean') throw new Error(`condition ${String(name)} is not a boolean`);
    return result;
  };
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve).filter((item) => item !== NO_VALUE);
    if (!isObject(node)) return node;
    const [key, argument] = Object.entries(node)[0] ?? [];
    const args = Array.isArray(argument) ? argument : [];
    if (Object.keys(node).length === 1) {
      switch (key) {
        case 'Ref':
          if (argument === 'AWS::NoValue') return NO_VALUE;
          // A resource's id is known only once deployed: left as written.
          if (stack.Resources?.[String(argument)] !== undefined) return node;
          // So is a pseudo parameter's (AWS::StackName, AWS::Region, ...).
          if (String(argument).startsWith('AWS::')) return node;
          return parameter(String(argument));
        case 'Fn::If':
          return resolve(condition(args[0]) ? args[1] : args[2]);
        case 'Fn::Not':
          return !resolve(args[0]);
        case 'Fn::Equals':
          return resolve(args[0]) === resolve(args[1]);
        case 'Fn::Split':
          return String(resolve(args[1])).split(String(args[0]));
        case 'Fn::Join': {
          // A list parameter arrives as its comma-separated text; a resource's part leaves it as written.
          const parts = resolve(args[1]);
          if (typeof parts === 'string') return parts;
          if (Array.isArray(parts) && parts.every((part) => typeof part === 'string'))
            return parts.join(String(args[0]));
          return node;
        }
      }
    }
    const out: Json = {};
    for (const [name, child] of Object.entries(node)) {
      const resolved = resolve(child);
      if (resolved !== NO_VALUE) out[name] = resolved;
    }
    return out;
  };
  const result = resolve(value);
  return result === NO_VALUE ? undefined : result;
};
