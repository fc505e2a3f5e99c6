// Which Python runs the server, and which environment the server analyses.
// No `vscode` import: unit-tested under plain Node with real and fake interpreters.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** The server needs this Python or newer (the analysed environment may be older). */
export const MIN_SERVER_PYTHON: readonly [number, number] = [3, 10];

export interface PythonInfo {
  executable: string;
  version: [number, number, number];
}

export type ProbeResult = { ok: true; info: PythonInfo } | { ok: false; reason: string };

export interface Candidate {
  command: string;
  args: string[];
  /** Where the candidate came from, for messages: 'mindport.interpreter', 'PATH', ... */
  origin: string;
}

export type Probe = (candidate: Candidate) => Promise<ProbeResult>;

const PROBE_CODE =
  'import json, sys; print(json.dumps({"executable": sys.executable, "version": list(sys.version_info[:3])}))';

function lastLines(text: string, count = 3): string {
  return text.trim().split(/\r?\n/).slice(-count).join(' | ');
}

/** Runs `candidate -I -c <probe>`: the candidate's real executable and version, or why not. */
export function probePython(candidate: Candidate, timeoutMs = 15_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(result);
      }
    };
    let child;
    try {
      // cwd: a neutral directory, so a workspace cannot plant a `python` next to it (Windows).
      child = spawn(candidate.command, [...candidate.args, '-I', '-c', PROBE_CODE], {
        cwd: os.tmpdir(),
        windowsHide: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ ok: false, reason: `cannot be run (${(error as Error).message})` });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish({ ok: false, reason: `did not answer within ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        ok: false,
        reason: error.code === 'ENOENT' ? 'was not found' : `cannot be run (${error.message})`,
      });
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        finish({ ok: false, reason: stderr.trim() ? `${why}: ${lastLines(stderr)}` : why });
        return;
      }
      try {
        const data = JSON.parse(stdout.trim().split(/\r?\n/).pop() ?? '') as {
          executable?: unknown;
          version?: unknown;
        };
        const version = data.version;
        if (
          typeof data.executable !== 'string' ||
          !Array.isArray(version) ||
          version.length !== 3 ||
          !version.every((n) => Number.isInteger(n))
        ) {
          throw new Error('unexpected answer');
        }
        finish({
          ok: true,
          info: { executable: data.executable || candidate.command, version: version as [number, number, number] },
        });
      } catch {
        finish({ ok: false, reason: `is not a working Python (it printed ${JSON.stringify(lastLines(stdout, 1))})` });
      }
    });
  });
}

export function versionText(version: readonly number[]): string {
  return version.join('.');
}

export function isServerCapable(version: readonly number[]): boolean {
  const [major, minor] = MIN_SERVER_PYTHON;
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** `~` and `${workspaceFolder}` / `${userHome}` in a configured interpreter path. */
export function expandPath(value: string, home: string, workspaceFolder: string | undefined): string {
  let result = value.trim();
  if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
    result = path.join(home, result.slice(1));
  }
  result = result.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) result = result.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  return result;
}

export interface CandidateSources {
  trusted: boolean;
  platform: NodeJS.Platform;
  /** `mindport.interpreter`, already expanded ('' when unset). */
  setting: string;
  /** The interpreter selected in the Python extension, if any. */
  selected?: string;
}

/** Pythons on PATH, tried last (and only these in an untrusted workspace). */
export function pathCandidates(platform: NodeJS.Platform): Candidate[] {
  return platform === 'win32'
    ? [
        { command: 'py', args: ['-3'], origin: 'PATH (py launcher)' },
        { command: 'python', args: [], origin: 'PATH' },
      ]
    : [
        { command: 'python3', args: [], origin: 'PATH' },
        { command: 'python', args: [], origin: 'PATH' },
      ];
}

/**
 * The Pythons that may run the server, best first: the analysed interpreter (setting, then the
 * Python extension's selection) when the workspace is trusted, then PATH. An untrusted
 * workspace never runs an interpreter that the workspace could have chosen.
 */
export function serverCandidates(sources: CandidateSources): Candidate[] {
  const candidates: Candidate[] = [];
  if (sources.trusted) {
    if (sources.setting) candidates.push({ command: sources.setting, args: [], origin: 'mindport.interpreter' });
    if (sources.selected) candidates.push({ command: sources.selected, args: [], origin: 'Python extension' });
  }
  candidates.push(...pathCandidates(sources.platform));
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = [c.command, ...c.args].join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface Attempt {
  candidate: Candidate;
  reason: string;
}

export interface Resolution {
  found?: { candidate: Candidate; info: PythonInfo };
  tried: Attempt[];
}

/** The first candidate that runs and is new enough for the server. */
export async function resolveServerPython(candidates: Candidate[], probe: Probe): Promise<Resolution> {
  const tried: Attempt[] = [];
  for (const candidate of candidates) {
    const result = await probe(candidate);
    if (!result.ok) {
      tried.push({ candidate, reason: result.reason });
    } else if (!isServerCapable(result.info.version)) {
      tried.push({
        candidate,
        reason: `is Python ${versionText(result.info.version)}; the server needs ${versionText(MIN_SERVER_PYTHON)} or newer`,
      });
    } else {
      return { found: { candidate, info: result.info }, tried };
    }
  }
  return { tried };
}

/** A probe that runs each distinct candidate once per start. */
export function cachedProbe(probe: Probe): Probe {
  const cache = new Map<string, Promise<ProbeResult>>();
  return (candidate) => {
    const key = [candidate.command, ...candidate.args].join('\0');
    let result = cache.get(key);
    if (result === undefined) {
      result = probe(candidate);
      cache.set(key, result);
    }
    return result;
  };
}

export function describe(candidate: Candidate): string {
  return [candidate.command, ...candidate.args].join(' ');
}
