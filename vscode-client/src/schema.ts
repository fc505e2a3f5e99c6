// Checks setting values against the JSON-schema subset that MindPort's settings schema uses
// (server/mindport/settings_schema.json, copied into package.json's contributes.configuration).
// No `vscode` import: unit-tested under plain Node.

export interface PropertySpec {
  type?: string | string[];
  enum?: readonly unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, PropertySpec>;
  additionalProperties?: PropertySpec | boolean;
  items?: PropertySpec;
  propertyNames?: { pattern?: string };
  pattern?: string;
  scope?: string;
}

/** `contributes.configuration.properties`: keys such as `mindport.jedi.enabled`. */
export type Properties = Record<string, PropertySpec>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, wanted: string): boolean {
  const actual = typeOf(value);
  return actual === wanted || (wanted === 'number' && actual === 'integer');
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Why `value` does not fit `spec` (named `name` in the message), or undefined when it does. */
export function checkValue(name: string, value: unknown, spec: PropertySpec): string | undefined {
  const types = spec.type === undefined ? [] : Array.isArray(spec.type) ? spec.type : [spec.type];
  if (types.length > 0 && !types.some((t) => typeMatches(value, t))) {
    const article = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
    return `${name} should be ${types.map(article).join(' or ')}, not ${show(value)}`;
  }
  if (spec.enum !== undefined && !spec.enum.some((option) => option === value)) {
    return `${name} should be one of ${spec.enum.map(show).join(', ')}, not ${show(value)}`;
  }
  if (typeof value === 'string' && spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(value)) {
    return `${name} should match ${spec.pattern}, not ${show(value)}`;
  }
  if (typeof value === 'number') {
    if (spec.minimum !== undefined && value < spec.minimum) {
      return `${name} should be at least ${spec.minimum}, not ${value}`;
    }
    if (spec.maximum !== undefined && value > spec.maximum) {
      return `${name} should be at most ${spec.maximum}, not ${value}`;
    }
  }
  if (typeOf(value) === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const keyPattern = spec.propertyNames?.pattern;
      if (keyPattern !== undefined && !new RegExp(keyPattern, 'u').test(key)) {
        return `${name} has a key ${show(key)} that does not match ${keyPattern}`;
      }
      const inner =
        spec.properties?.[key] ??
        (typeof spec.additionalProperties === 'object' ? spec.additionalProperties : undefined);
      if (inner === undefined) {
        if (spec.additionalProperties === false) return `${name} has no key ${show(key)}`;
        continue;
      }
      const problem = checkValue(`${name}.${key}`, item, inner);
      if (problem !== undefined) return problem;
    }
  }
  if (Array.isArray(value) && spec.items !== undefined) {
    for (const [index, item] of value.entries()) {
      const problem = checkValue(`${name}[${index}]`, item, spec.items);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
