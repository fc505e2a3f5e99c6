// What the user reads when something goes wrong: one sentence on what happened, one on what to
// do. Details (every interpreter tried, the server's stderr) go to the output channel.
// No `vscode` import: unit-tested under plain Node.
import { describe, versionText, MIN_SERVER_PYTHON, type Attempt } from './interpreter';
import { english, type Translate } from './l10n';

export const OUTPUT_NAME = 'MindPort';

export function noPython(tried: Attempt[], trusted: boolean, t: Translate = english): string {
  const names = tried.map((a) => describe(a.candidate)).join(', ');
  const version = versionText(MIN_SERVER_PYTHON);
  const fix = trusted
    ? t('Install Python {0} or newer, or select one with "Python: Select Interpreter" or the mindport.interpreter setting, then run "MindPort: Restart Language Server".', version)
    : t("Install Python {0} or newer on PATH (in an untrusted workspace MindPort does not use the workspace's interpreter), then run \"MindPort: Restart Language Server\".", version);
  return t('MindPort could not start: it needs Python {0} or newer and found none (tried {1}). {2}', version, names || t('nothing'), fix);
}

export function badInterpreterSetting(value: string, reason: string, t: Translate = english): string {
  return t('mindport.interpreter is set to "{0}", which {1}. MindPort analyses with its own environment until you fix the setting.', value, reason);
}

export function invalidSettings(problems: string[], t: Translate = english): string {
  return t('MindPort ignored invalid settings: {0}. Fix them in your settings (the defaults are used meanwhile).', problems.join('; '));
}

export function crashedAtStart(t: Translate = english): string {
  return t('MindPort\'s language server stopped while starting. The "{0}" output channel shows why; fix the cause, then run "MindPort: Restart Language Server".', OUTPUT_NAME);
}

export function crashedRepeatedly(crashes: number, t: Translate = english): string {
  return t('MindPort\'s language server crashed {0} times in a few minutes and will not be restarted automatically. The "{1}" output channel shows why; run "MindPort: Restart Language Server" to try again.', crashes, OUTPUT_NAME);
}

export function startFailed(reason: string, t: Translate = english): string {
  return t('MindPort\'s language server could not be started ({0}). The "{1}" output channel has the details; run "MindPort: Restart Language Server" to try again.', reason, OUTPUT_NAME);
}
