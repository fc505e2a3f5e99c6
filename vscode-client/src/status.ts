// The status bar text for the current file's MindPort diagnostics.
// No `vscode` import: unit-tested under plain Node.

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

/** E.g. `MindPort: 7 (MP101 6, MP301 1)`; codicons mark limited mode and problems. */
export function statusView(state: ServerState, counts: Counts | undefined, limited: boolean): StatusView {
  const mode = limited ? ' (restricted mode: untrusted workspace)' : '';
  const icon = limited ? '$(shield) ' : '';
  switch (state) {
    case 'starting':
      return { text: `$(sync~spin) MindPort`, tooltip: `MindPort: starting the language server${mode}` };
    case 'failed':
      return { text: `$(error) MindPort`, tooltip: 'MindPort is not running: click to show its output' };
    case 'stopped':
      return { text: `$(circle-slash) MindPort`, tooltip: 'MindPort: the language server is stopped' };
    case 'running':
      break;
  }
  if (counts === undefined || counts.total === 0) {
    return { text: `${icon}MindPort: $(check) 0`, tooltip: `MindPort: nothing to port in this file${mode}` };
  }
  const shown = counts.byCode.slice(0, 2).map(([code, n]) => `${code} ${n}`);
  if (counts.byCode.length > 2) shown.push(`+${counts.byCode.length - 2} more`);
  const lines = counts.byCode.map(([code, n]) => `${code}: ${n}`);
  return {
    text: `${icon}MindPort: ${counts.total} (${shown.join(', ')})`,
    tooltip: `MindPort findings in this file${mode}\n${lines.join('\n')}\nClick to open the Problems panel`,
  };
}
