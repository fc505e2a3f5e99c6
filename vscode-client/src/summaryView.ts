/**
 * The migration summary as the report page `mindport report` writes (the server sends it as
 * `html` with the summary): one self-contained page with inline styles and SVG charts, so the
 * editor and the command line show the same numbers the same way. It is shown in a webview
 * without scripts, under a content security policy that allows only its inline styles and
 * data images; the Markdown preview remains the fallback.
 */
import * as vscode from 'vscode';
import { withPolicy } from './summaryPage';

/** One panel for the summary, reused (and brought forward) when it is asked for again. */
export class SummaryPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  show(html: string, title: string): void {
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel('mindport.migrationSummary', title, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: false,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    } else {
      this.panel.title = title;
      this.panel.reveal();
    }
    this.panel.webview.html = withPolicy(html, this.panel.webview.cspSource);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
