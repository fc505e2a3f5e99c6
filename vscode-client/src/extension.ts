// MindPort for VS Code: starts the bundled language server with a suitable Python, passes it
// the settings and the analysed interpreter, and adds commands and a status bar item.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import { ACTIVATED_CONTEXT, ANALYSED_NOTIFICATION, COMMANDS, FIX_ALL_KIND, SERVER_CARD_COMMAND, SERVER_SUMMARY_COMMAND } from './commands';
import { bundleLanguage, english, fromBundle, type Translate } from './l10n';
import {
  cachedProbe,
  describe,
  expandPath,
  probePython,
  resolveServerPython,
  serverCandidates,
  versionText,
  type Probe,
} from './interpreter';
import * as messages from './messages';
import { Once, RestartPolicy } from './restartPolicy';
import type { Properties } from './schema';
import { interpreterSetting, SECTION, serverSettings, type ServerSettings } from './settings';
import { countDiagnostics, statusView, type ServerState } from './status';
import { SummaryPanel } from './summaryView';

/** Our client never shows notifications itself: the Controller decides what the user sees. */
class MindPortLanguageClient extends LanguageClient {
  public override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
}

/** The one notification key for "the server is down" (start failure, crash, crash loop). */
const SERVER_FAILED = 'server-failed';

interface SummaryResult {
  markdown: string;
  html?: string; // the report page (`mindport report`), shown in a webview
}

/** The migration summary as a read-only document: `mindport-summary:Migration Summary.md`. */
class SummaryDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'mindport-summary';
  static readonly uri = vscode.Uri.from({ scheme: SummaryDocuments.scheme, path: 'Migration Summary.md' });
  private markdown = '';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(markdown: string): void {
    this.markdown = markdown;
    this.changed.fire(SummaryDocuments.uri);
  }

  provideTextDocumentContent(): string {
    return this.markdown;
  }
}

/** Full knowledge cards as read-only documents: `mindport-card:torch.nn.Conv2d.md`. */
class CardDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'mindport-card';
  private readonly cards = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  static uriOf(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: CardDocuments.scheme, path: `${name}.md` });
  }

  set(name: string, markdown: string): vscode.Uri {
    const uri = CardDocuments.uriOf(name);
    this.cards.set(uri.path, markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.cards.get(uri.path) ?? '';
  }
}

/** Tells the server that hovers may link to `mindport.showCard` (the full card beside the editor). */
const showCardCapability: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental ?? {}), mindport: { showCard: true } };
  },
  initialize() {},
  getState: () => ({ kind: 'static' }),
  clear() {},
};

/** Buttons of our notifications (their labels are translated). */
type Action = 'showOutput' | 'openSettings' | 'selectInterpreter' | 'restart';

class Controller implements vscode.Disposable {
  private client: MindPortLanguageClient | undefined;
  private readonly summary = new SummaryDocuments();
  private readonly summaryPanel = new SummaryPanel();
  private readonly cards = new CardDocuments();
  /** Documents (URI strings) the server has answered for since it started: until then a spinner. */
  private readonly answered = new Set<string>();
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private t: Translate = english;
  private readonly status: vscode.StatusBarItem;
  private readonly policy = new RestartPolicy();
  private readonly once = new Once();
  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private state: ServerState = 'stopped';
  private reachedRunning = false;
  private analysedInterpreter = '';
  private pythonListener: vscode.Disposable | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.status = vscode.window.createStatusBarItem('mindport.status', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'MindPort';
    this.updateLanguage();
    this.disposables.push(
      this.status,
      this.summaryPanel,
      vscode.workspace.registerTextDocumentContentProvider(SummaryDocuments.scheme, this.summary),
      vscode.workspace.registerTextDocumentContentProvider(CardDocuments.scheme, this.cards),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const uri of event.uris) {
          if (vscode.languages.getDiagnostics(uri).some((d) => d.source === 'mindport')) this.answered.add(uri.toString());
        }
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && event.uris.some((uri) => uri.toString() === active)) this.scheduleStatus();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.output.info('The workspace is now trusted: restarting with the analysed interpreter.');
        void this.restart(false);
      }),
    );
  }

  /** The extension's strings follow `mindport.locale`, else VS Code's display language. */
  private updateLanguage(): void {
    const setting = vscode.workspace.getConfiguration(SECTION).get('locale');
    if (bundleLanguage(setting, vscode.env.language) === 'en') {
      this.t = english;
      return;
    }
    try {
      const file = this.context.asAbsolutePath(path.join('l10n', 'bundle.l10n.zh-cn.json'));
      this.t = fromBundle(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
    } catch (error) {
      this.output.warn(`l10n bundle: ${(error as Error).message}`);
      this.t = english;
    }
  }

  dispose(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer);
    this.pythonListener?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  // -- settings ------------------------------------------------------------------------------

  private get properties(): Properties {
    const manifest = this.context.extension.packageJSON as {
      contributes?: { configuration?: { properties?: Properties } };
    };
    return manifest.contributes?.configuration?.properties ?? {};
  }

  /** @param scope a document or folder for resource-scoped settings (target, rules, ...) */
  private readSettings(scope?: vscode.Uri): ServerSettings {
    const configuration = vscode.workspace.getConfiguration(SECTION, scope);
    return serverSettings(this.properties, (key) => configuration.get(key), {
      interpreter: this.analysedInterpreter,
    });
  }

  private reportSettingsProblems(problems: string[]): void {
    if (problems.length === 0) return;
    for (const problem of problems) this.output.warn(`settings: ${problem}`);
    if (this.once.first(`settings:${problems.join(';')}`)) {
      void this.notify('warning', messages.invalidSettings(problems, this.t), ['openSettings']);
    }
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SECTION)) return;
    if (event.affectsConfiguration(`${SECTION}.locale`)) {
      this.updateLanguage();
      this.updateStatus();
    }
    if (event.affectsConfiguration(`${SECTION}.interpreter`)) {
      this.output.info('mindport.interpreter changed: restarting the server.');
      void this.restart(false);
      return;
    }
    // The server is told by vscode-languageclient and pulls the values through our middleware.
    this.reportSettingsProblems(this.readSettings().problems);
  }

  // -- notifications -------------------------------------------------------------------------

  private actionLabel(action: Action): string {
    switch (action) {
      case 'showOutput':
        return this.t('Show Output');
      case 'openSettings':
        return this.t('Open Settings');
      case 'selectInterpreter':
        return this.t('Select Interpreter');
      case 'restart':
        return this.t('Restart');
    }
  }

  private async notify(level: 'error' | 'warning', message: string, extra: Action[] = []): Promise<void> {
    const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const actions: Action[] = [...extra, 'showOutput'];
    const choice = await show(message, ...actions.map((action) => this.actionLabel(action)));
    switch (actions.find((action) => this.actionLabel(action) === choice)) {
      case 'showOutput':
        this.output.show(true);
        break;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.context.extension.id}`);
        break;
      case 'selectInterpreter':
        await vscode.commands.executeCommand('python.setInterpreter');
        break;
      case 'restart':
        await this.restart(true);
        break;
      case undefined:
        break;
    }
  }

  // -- interpreters --------------------------------------------------------------------------

  /** The interpreter selected in the Python extension, if it is installed (trusted only). */
  private async selectedInterpreter(): Promise<string | undefined> {
    let api;
    try {
      const { PythonExtension } = await import('@vscode/python-extension');
      api = await PythonExtension.api();
    } catch (error) {
      this.output.info(`Python extension not available (${(error as Error).message}); using mindport.interpreter or PATH.`);
      return undefined;
    }
    if (this.pythonListener === undefined) {
      this.pythonListener = api.environments.onDidChangeActiveEnvironmentPath(() => {
        this.output.info('The selected Python interpreter changed: restarting the server.');
        void this.restart(false);
      });
    }
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const environmentPath = api.environments.getActiveEnvironmentPath(resource);
    const environment = await api.environments.resolveEnvironment(environmentPath);
    return environment?.executable.uri?.fsPath ?? environmentPath.path;
  }

  // -- lifecycle -----------------------------------------------------------------------------

  /** Runs lifecycle operations one after another (restart while starting, etc.). */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  start(): Promise<void> {
    return this.serial(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.serial(() => this.doStop());
  }

  /** @param manual a user's restart clears the crash history and shows problems again */
  restart(manual: boolean): Promise<void> {
    return this.serial(async () => {
      if (manual) {
        this.policy.reset();
        this.once.reset();
      }
      await this.doStop();
      await this.doStart();
    });
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    try {
      if (client.isRunning()) await client.stop(3000);
    } catch (error) {
      this.output.warn(`stopping the server: ${(error as Error).message}`);
    }
    try {
      await client.dispose(1000);
    } catch {
      // already stopped or failed
    }
    this.setState('stopped');
  }

  private async doStart(): Promise<void> {
    this.setState('starting');
    const trusted = vscode.workspace.isTrusted;
    const configuration = vscode.workspace.getConfiguration(SECTION);
    const home = os.homedir();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const setting = expandPath(interpreterSetting((key) => configuration.get(key)), home, folder);
    if (!trusted && setting) {
      this.output.info(`Untrusted workspace: mindport.interpreter (${setting}) is not used.`);
    }
    const selected = trusted ? await this.selectedInterpreter() : undefined;
    const probe: Probe = cachedProbe((candidate) => probePython(candidate));

    // The analysed environment: the setting, else the Python extension's selection.
    this.analysedInterpreter = '';
    if (trusted && setting) {
      const result = await probe({ command: setting, args: [], origin: 'mindport.interpreter' });
      if (result.ok) {
        this.analysedInterpreter = result.info.executable;
      } else {
        this.output.warn(`mindport.interpreter ${setting} ${result.reason}`);
        if (this.once.first(`interpreter:${setting}:${result.reason}`)) {
          void this.notify('warning', messages.badInterpreterSetting(setting, result.reason, this.t), ['openSettings']);
        }
      }
    } else if (trusted && selected) {
      const result = await probe({ command: selected, args: [], origin: 'Python extension' });
      if (result.ok) this.analysedInterpreter = result.info.executable;
      else this.output.warn(`The Python extension's interpreter ${selected} ${result.reason}; not analysing it.`);
    }

    // The Python that runs the bundled server.
    const resolution = await resolveServerPython(
      serverCandidates({ trusted, platform: process.platform, setting, selected }),
      probe,
    );
    for (const attempt of resolution.tried) {
      this.output.warn(`Python candidate ${describe(attempt.candidate)} (${attempt.candidate.origin}) ${attempt.reason}`);
    }
    if (resolution.found === undefined) {
      this.setState('failed');
      if (this.once.first('no-python')) {
        const pythonExtension = vscode.extensions.getExtension('ms-python.python') !== undefined;
        const actions: Action[] = trusted ? [...(pythonExtension ? (['selectInterpreter'] as Action[]) : []), 'openSettings'] : [];
        void this.notify('error', messages.noPython(resolution.tried, trusted, this.t), actions);
      }
      return;
    }
    const { candidate, info } = resolution.found;
    this.output.info(
      `Starting the server with Python ${versionText(info.version)} (${info.executable}, from ${candidate.origin}); ` +
        `analysed environment: ${this.analysedInterpreter || "the server's own"}` +
        (trusted ? '' : ' (restricted mode: untrusted workspace)'),
    );

    const settings = this.readSettings();
    this.reportSettingsProblems(settings.problems);
    const bootstrap = this.context.asAbsolutePath(path.join('bundled', 'tool', 'mindport_server.py'));
    const serverOptions: ServerOptions = {
      command: info.executable,
      args: ['-I', bootstrap],
      transport: TransportKind.stdio, // appends --stdio, which the server accepts
      options: { cwd: this.context.extensionPath },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'python' },
        { notebook: 'jupyter-notebook', language: 'python' }, // cells: notebook document sync
      ],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: settings.settings,
      initializationFailedHandler: (error) => {
        this.output.error(`Server initialization failed: ${String(error)}`);
        return false;
      },
      errorHandler: {
        error: (error, _message, count): ErrorHandlerResult => {
          this.output.error(`Connection to the server: ${error.message}`);
          return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
        },
        closed: (): CloseHandlerResult => this.onServerClosed(),
      },
      middleware: {
        workspace: {
          // The server asks for section `mindport`: answer with validated values and the
          // resolved interpreter, exactly as in initializationOptions.
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) return answers;
            return params.items.map((item, index) =>
              item.section === SECTION
                ? this.readSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined).settings
                : answers[index],
            );
          },
        },
      },
      // Hovers may link to one command of ours (the full card); nothing else runs from Markdown.
      markdown: { isTrusted: { enabledCommands: [COMMANDS.showCard] }, supportHtml: false },
    };
    const client = new MindPortLanguageClient('mindport', 'MindPort', serverOptions, clientOptions);
    client.registerFeature(showCardCapability);
    this.client = client;
    this.answered.clear();
    this.reachedRunning = false;
    client.onDidChangeState((event) => {
      if (this.client !== client) return;
      if (event.newState === State.Running) {
        this.reachedRunning = true;
        this.once.forget(SERVER_FAILED); // running again: a later failure is news
        this.setState('running');
      } else if (event.newState === State.Starting) {
        this.setState('starting');
      }
    });
    try {
      await client.start();
    } catch (error) {
      this.output.error(`Starting the server failed: ${(error as Error).message}`);
      this.setState('failed');
      // A server that dies at start also closes the connection, and onServerClosed has the
      // clearer message: give it a moment to claim the one notification.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (this.once.first(SERVER_FAILED)) {
        void this.notify('error', messages.startFailed((error as Error).message, this.t), ['restart']);
      }
      return;
    }
    client.onNotification(ANALYSED_NOTIFICATION, (params: { uri?: string }) => {
      if (this.client !== client || typeof params?.uri !== 'string') return;
      this.answered.add(vscode.Uri.parse(params.uri).toString());
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active === vscode.Uri.parse(params.uri).toString()) this.scheduleStatus();
    });
  }

  private onServerClosed(): CloseHandlerResult {
    const decision = this.policy.onClosed(Date.now(), this.reachedRunning);
    this.reachedRunning = false;
    if (decision.action === 'restart') {
      this.output.warn('The server stopped unexpectedly: restarting it.');
      this.setState('starting');
      return { action: CloseAction.Restart, handled: true };
    }
    this.setState('failed');
    const message =
      decision.why === 'crashed-at-start'
        ? messages.crashedAtStart(this.t)
        : messages.crashedRepeatedly(decision.crashes, this.t);
    this.output.error(message);
    if (this.once.first(SERVER_FAILED)) void this.notify('error', message, ['restart']);
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  // -- status bar ----------------------------------------------------------------------------

  private setState(state: ServerState): void {
    this.state = state;
    this.updateStatus();
  }

  /** Diagnostics arrive in bursts while typing: redraw once they settle (no flicker). */
  private scheduleStatus(): void {
    if (this.statusTimer !== undefined) clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.updateStatus();
    }, 150);
  }

  private updateStatus(): void {
    const editor = vscode.window.activeTextEditor;
    const python = editor?.document.languageId === 'python';
    if (!python && this.state !== 'failed') {
      this.status.hide();
      return;
    }
    const uri = editor?.document.uri;
    const counts =
      uri && python && this.answered.has(uri.toString())
        ? countDiagnostics(vscode.languages.getDiagnostics(uri))
        : undefined;
    const view = statusView(this.state, counts, !vscode.workspace.isTrusted, this.t);
    this.status.text = view.text;
    this.status.tooltip = view.tooltip;
    this.status.command = this.state === 'failed' ? COMMANDS.showOutput : 'workbench.actions.view.problems';
    this.status.backgroundColor =
      this.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.status.show();
  }

  // -- commands ------------------------------------------------------------------------------

  showOutput(): void {
    this.output.show(true);
  }

  /** Our findings in a document, once the server has answered for its current version. */
  private async findingsAfterChange(uri: vscode.Uri, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const done = (value: number | undefined): void => {
        clearTimeout(timer);
        listener.dispose();
        resolve(value);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const listener = vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((changed) => changed.toString() === uri.toString())) {
          done(countDiagnostics(vscode.languages.getDiagnostics(uri)).total);
        }
      });
    });
  }

  async fixAllInFile(): Promise<void> {
    const t = this.t;
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.languageId !== 'python') {
      void vscode.window.showInformationMessage(t('MindPort: open a Python file to fix.'));
      return;
    }
    const document = editor.document;
    const before = countDiagnostics(vscode.languages.getDiagnostics(document.uri)).total;
    const range = new vscode.Range(0, 0, document.lineCount, 0);
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
        'vscode.executeCodeActionProvider',
        document.uri,
        range,
        FIX_ALL_KIND,
        10, // resolve the actions: the server computes fix-all edits lazily (codeAction/resolve)
      )) ?? [];
    const wanted = vscode.CodeActionKind.Empty.append(FIX_ALL_KIND);
    const fixes = actions.filter(
      (action): action is vscode.CodeAction => 'kind' in action && action.kind !== undefined && wanted.contains(action.kind),
    );
    let applied = 0;
    let changedLines = 0;
    for (const fix of fixes) {
      if (fix.edit) {
        const edits = fix.edit.entries().flatMap(([, list]) => list);
        if (await vscode.workspace.applyEdit(fix.edit)) {
          applied += 1;
          changedLines += edits.reduce((sum, edit) => sum + edit.range.end.line - edit.range.start.line + 1, 0);
        }
      }
      if (fix.command) {
        await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
        applied += 1;
      }
    }
    if (applied === 0) {
      const message = this.client?.isRunning()
        ? t('MindPort: nothing safe to fix here; try Ctrl+. on a finding.')
        : t('MindPort: the language server is not running.');
      void vscode.window.showInformationMessage(message);
      return;
    }
    // Say what happened once the server has looked at the fixed text.
    const after = await this.findingsAfterChange(document.uri, 5000);
    let message: string;
    if (after === undefined) {
      message = t('MindPort applied the safe fixes ({0} lines changed).', changedLines);
    } else if (after === 0) {
      message = t('MindPort fixed all {0} findings in this file.', before);
    } else {
      message = t('MindPort fixed {0} of {1} findings; {2} left to review.', Math.max(before - after, 0), before, after);
    }
    void vscode.window.showInformationMessage(message);
  }

  async showCard(name: unknown): Promise<void> {
    const t = this.t;
    const client = this.client;
    if (typeof name !== 'string') return;
    if (client === undefined || !client.isRunning()) {
      void vscode.window.showWarningMessage(t('MindPort: the language server is not running. See "MindPort: Show Output".'));
      return;
    }
    let result: { markdown?: unknown } | null;
    try {
      result = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_CARD_COMMAND,
        arguments: [name],
      })) as { markdown?: unknown } | null;
    } catch (error) {
      this.output.warn(`Card for ${name}: ${(error as Error).message}`);
      return;
    }
    if (!result || typeof result.markdown !== 'string') {
      void vscode.window.showInformationMessage(t('MindPort has no card for {0}.', name));
      return;
    }
    const uri = this.cards.set(name, result.markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.Beside);
    }
  }

  async showMigrationSummary(): Promise<void> {
    const t = this.t;
    const client = this.client;
    if (client === undefined || !client.isRunning()) {
      void vscode.window.showWarningMessage(t('MindPort: the language server is not running. See "MindPort: Show Output".'));
      return;
    }
    let result: SummaryResult | null;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: t('MindPort: summarising the workspace...'), cancellable: true },
        (_progress, token) =>
          client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_SUMMARY_COMMAND, arguments: [] }, token) as Promise<SummaryResult | null>,
      );
    } catch (error) {
      if (error instanceof Error && /cancel/i.test(error.message)) return; // the user cancelled
      this.output.error(`Migration summary failed: ${(error as Error).message}`);
      void vscode.window.showErrorMessage(t('MindPort: the migration summary failed ({0}).', (error as Error).message));
      return;
    }
    if (!result || typeof result.markdown !== 'string') {
      void vscode.window.showInformationMessage(t('MindPort: the server returned no summary.'));
      return;
    }
    if (typeof result.html === 'string') {
      // The page `mindport report` writes, from the same code: the same numbers, charts.
      this.summaryPanel.show(result.html, t('MindPort: Migration Summary'));
      return;
    }
    // A read-only virtual document (no "save changes?" prompt), shown as a Markdown preview.
    this.summary.set(result.markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', SummaryDocuments.uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(SummaryDocuments.uri));
    }
  }
}

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(messages.OUTPUT_NAME, { log: true });
  // When (and so why: at start-up by workspaceContains, or on opening a Python file) VS Code
  // activated us; the e2e test reads it to tell activation time from server start-up time.
  output.info(`MindPort ${String(context.extension.packageJSON.version)} activated (VS Code ${vscode.version}).`);
  controller = new Controller(context, output);
  const current = controller;
  context.subscriptions.push(
    output,
    current,
    vscode.commands.registerCommand(COMMANDS.restartServer, () => current.restart(true)),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => current.showOutput()),
    vscode.commands.registerCommand(COMMANDS.fixAllInFile, () => current.fixAllInFile()),
    vscode.commands.registerCommand(COMMANDS.showMigrationSummary, () => current.showMigrationSummary()),
    vscode.commands.registerCommand(COMMANDS.showCard, (name: unknown) => current.showCard(name)),
  );
  void current.start(); // first: the server's start-up is on the way to the first squiggle
  await vscode.commands.executeCommand('setContext', ACTIVATED_CONTEXT, true);
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
