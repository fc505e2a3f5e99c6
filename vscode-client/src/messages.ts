// What the user reads when something goes wrong: one sentence on what happened, one on what to
// do. Details (every interpreter tried, the server's stderr) go to the output channel.
// No `vscode` import: unit-tested under plain Node.
import { describe, versionText, MIN_SERVER_PYTHON, type Attempt } from './interpreter';

export const OUTPUT_NAME = 'MindPort';

export function noPython(tried: Attempt[], trusted: boolean): string {
  const names = tried.map((a) => describe(a.candidate)).join(', ');
  const fix = trusted
    ? `Install Python ${versionText(MIN_SERVER_PYTHON)} or newer, or select one with "Python: Select Interpreter" or the mindport.interpreter setting, then run "MindPort: Restart Language Server".`
    : `Install Python ${versionText(MIN_SERVER_PYTHON)} or newer on PATH (in an untrusted workspace MindPort does not use the workspace's interpreter), then run "MindPort: Restart Language Server".`;
  return `MindPort could not start: it needs Python ${versionText(MIN_SERVER_PYTHON)} or newer and found none (tried ${names || 'nothing'}). ${fix}`;
}

export function badInterpreterSetting(value: string, reason: string): string {
  return `mindport.interpreter is set to "${value}", which ${reason}. MindPort analyses with its own environment until you fix the setting.`;
}

export function invalidSettings(problems: string[]): string {
  return `MindPort ignored invalid settings: ${problems.join('; ')}. Fix them in your settings (the defaults are used meanwhile).`;
}

export function crashedAtStart(): string {
  return `MindPort's language server stopped while starting. The "${OUTPUT_NAME}" output channel shows why; fix the cause, then run "MindPort: Restart Language Server".`;
}

export function crashedRepeatedly(crashes: number): string {
  return `MindPort's language server crashed ${crashes} times in a few minutes and will not be restarted automatically. The "${OUTPUT_NAME}" output channel shows why; run "MindPort: Restart Language Server" to try again.`;
}

export function startFailed(reason: string): string {
  return `MindPort's language server could not be started (${reason}). The "${OUTPUT_NAME}" output channel has the details; run "MindPort: Restart Language Server" to try again.`;
}
