// The extension's own strings in the user's language. No `vscode` import: unit-tested under
// plain Node. VS Code's `vscode.l10n.t` follows the display language only; MindPort's
// `mindport.locale` setting can choose another, so the extension reads the same bundle
// (`l10n/bundle.l10n.zh-cn.json`, English message -> translation) itself when it must.

/** The message in the chosen language, with `{0}`, `{1}`... filled in from the arguments. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export function format(template: string, args: ReadonlyArray<string | number | boolean>): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

/** English: the messages as written in the source. */
export const english: Translate = (message, ...args) => format(message, args);

/** A translator from a bundle; messages missing from it stay English. */
export function fromBundle(bundle: Readonly<Record<string, string>>): Translate {
  return (message, ...args) => format(bundle[message] ?? message, args);
}

/** The bundle's language for `mindport.locale` (`auto` defers to VS Code's display language). */
export function bundleLanguage(setting: unknown, displayLanguage: string): 'en' | 'zh-cn' {
  const chosen = typeof setting === 'string' && setting !== 'auto' ? setting : displayLanguage;
  return chosen.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}
