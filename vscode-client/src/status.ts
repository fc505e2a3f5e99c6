// The status bar text for the current file's MindPort diagnostics.
// No `vscode` import: unit-tested under plain Node.

import { english, type Translate } from './l10n';

export const SOURCE = 'mindport';

export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
}

export interface Counts {
  total: number;
  /** [code, count], most frequent first, then by code. */
  byCode: Array<[string, number]>;
}

export function countDiagnostics(diagnostics: readonly DiagnosticLike[]): Counts {
  const byCode = new Map<string, number>();
  let total = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    total += 1;
    const raw = diagnostic.code;
    const code = raw === undefined ? '?' : typeof raw === 'object' ? String(raw.value) : String(raw);
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const sorted = [...byCode.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return { total, byCode: sorted };
}

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusView {
  text: string;
  tooltip: string;
}

/** The code of the finding that says part of the file was not analysed (a syntax error). */
export const NOT_ANALYSED = 'MP001';

/**
 * E.g. `MindPort: 7 (MP101 6, MP301 1)`; codicons mark limited mode and problems.
 * @param counts undefined until the server has answered for this file: a spinner, not a 0
 */
export function statusView(
  state: ServerState,
  counts: Counts | undefined,
  limited: boolean,
  t: Translate = english,
): StatusView {
  const mode = limited ? t(' (restricted mode: untrusted workspace)') : '';
  const icon = limited ? '$(shield) ' : '';
  switch (state) {
    case 'starting':
      return { text: `$(sync~spin) MindPort`, tooltip: t('MindPort: starting the language server{0}', mode) };
    case 'failed':
      return { text: `$(error) MindPort`, tooltip: t('MindPort is not running: click to show its output') };
    case 'stopped':
      return { text: `$(circle-slash) MindPort`, tooltip: t('MindPort: the language server is stopped') };
    case 'running':
      break;
  }
  if (counts === undefined) {
    return { text: `${icon}$(sync~spin) MindPort`, tooltip: t('MindPort: analysing this file{0}', mode) };
  }
  const partial = counts.byCode.some(([code]) => code === NOT_ANALYSED);
  const note = partial ? t('MindPort could not analyse one statement of this file (a syntax error); the rest is analysed.') : '';
  const findings = counts.byCode.filter(([code]) => code !== NOT_ANALYSED);
  const total = findings.reduce((sum, [, n]) => sum + n, 0);
  const warn = partial ? '$(warning) ' : '';
  if (total === 0) {
    return {
      text: `${icon}${warn}MindPort: $(check) 0`,
      tooltip: [t('MindPort: nothing to port in this file{0}', mode), note].filter(Boolean).join('\n'),
    };
  }
  const shown = findings.slice(0, 2).map(([code, n]) => `${code} ${n}`);
  if (findings.length > 2) shown.push(t('+{0} more', findings.length - 2));
  const lines = findings.map(([code, n]) => `${code}: ${n}`);
  return {
    text: `${icon}${warn}MindPort: ${total} (${shown.join(', ')})`,
    tooltip: [t('MindPort findings in this file{0}', mode), ...lines, note, t('Click to open the Problems panel')]
      .filter(Boolean)
      .join('\n'),
  };
}
