// Settings -> the object the server gets as initializationOptions and as the answer to
// workspace/configuration (section `mindport`). No `vscode` import: unit-tested under Node.
import { checkValue, type Properties } from './schema';

export const SECTION = 'mindport';

export interface ServerSettings {
  /** Nested like VS Code's own configuration objects: `{ jedi: { enabled: true } }`. */
  settings: Record<string, unknown>;
  /** One sentence per invalid value (the default is used instead). */
  problems: string[];
}

export interface Overrides {
  /** The analysed interpreter the extension resolved ('' for the server's own environment). */
  interpreter: string;
}

function setNested(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/**
 * Reads every MindPort setting that package.json declares through `read` (a key without the
 * `mindport.` prefix, as `WorkspaceConfiguration.get` takes it), replaces values of the wrong
 * type by their defaults, and applies the extension's own resolution (the interpreter).
 * Settings the server ignores (client-only ones such as trace.server) are passed on too: the
 * server skips them by itself, as it does for VS Code's plain configuration answers.
 */
export function serverSettings(
  properties: Properties,
  read: (key: string) => unknown,
  overrides?: Overrides,
): ServerSettings {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  const prefix = `${SECTION}.`;
  for (const [name, spec] of Object.entries(properties)) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    let value = read(key);
    if (value === undefined) value = spec.default;
    const problem = checkValue(name, value, spec);
    if (problem !== undefined) {
      problems.push(`${problem}; using ${JSON.stringify(spec.default)}`);
      value = spec.default;
    }
    if (value !== undefined) setNested(settings, key, value);
  }
  if (overrides !== undefined) setNested(settings, 'interpreter', overrides.interpreter);
  return { settings, problems };
}

/** The configured `mindport.interpreter`, or '' when unset or not a string. */
export function interpreterSetting(read: (key: string) => unknown): string {
  const value = read('interpreter');
  return typeof value === 'string' ? value.trim() : '';
}
