import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  cachedProbe,
  expandPath,
  isServerCapable,
  probePython,
  resolveServerPython,
  serverCandidates,
  type Candidate,
  type ProbeResult,
} from '../src/interpreter';

const posix = process.platform !== 'win32';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mindport-interp-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fake `python` that behaves as the shell body says. */
function fakePython(name: string, body: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const candidate = (command: string, origin = 'test'): Candidate => ({ command, args: [], origin });

describe('serverCandidates (interpreter resolution order)', () => {
  it('trusted: setting, then the Python extension, then PATH, without duplicates', () => {
    const list = serverCandidates({ trusted: true, platform: 'linux', setting: '/s/python', selected: '/sel/python' });
    assert.deepEqual(
      list.map((c) => [c.command, c.origin]),
      [
        ['/s/python', 'mindport.interpreter'],
        ['/sel/python', 'Python extension'],
        ['python3', 'PATH'],
        ['python', 'PATH'],
      ],
    );
    const same = serverCandidates({ trusted: true, platform: 'linux', setting: 'python3', selected: 'python3' });
    assert.deepEqual(same.map((c) => c.command), ['python3', 'python']);
  });

  it('untrusted: never the workspace-chosen interpreters', () => {
    const list = serverCandidates({ trusted: false, platform: 'linux', setting: './evil/python', selected: '.venv/bin/python' });
    assert.deepEqual(list.map((c) => c.command), ['python3', 'python']);
  });

  it('Windows uses the py launcher first', () => {
    const list = serverCandidates({ trusted: false, platform: 'win32', setting: '' });
    assert.deepEqual(list.map((c) => [c.command, ...c.args]), [['py', '-3'], ['python']]);
  });
});

describe('resolveServerPython', () => {
  const answers: Record<string, ProbeResult> = {
    missing: { ok: false, reason: 'was not found' },
    old: { ok: true, info: { executable: '/old/python', version: [3, 8, 10] } },
    good: { ok: true, info: { executable: '/good/python', version: [3, 12, 1] } },
  };
  const probe = async (c: Candidate): Promise<ProbeResult> => answers[c.command];

  it('skips missing and too-old interpreters, saying why', async () => {
    const result = await resolveServerPython([candidate('missing'), candidate('old'), candidate('good')], probe);
    assert.equal(result.found?.info.executable, '/good/python');
    assert.deepEqual(
      result.tried.map((t) => t.reason),
      ['was not found', 'is Python 3.8.10; the server needs 3.10 or newer'],
    );
  });

  it('reports every attempt when none fits', async () => {
    const result = await resolveServerPython([candidate('missing'), candidate('old')], probe);
    assert.equal(result.found, undefined);
    assert.equal(result.tried.length, 2);
  });

  it('cachedProbe runs each interpreter once', async () => {
    let calls = 0;
    const counted = cachedProbe(async (c) => {
      calls += 1;
      return answers[c.command];
    });
    await resolveServerPython([candidate('good')], counted);
    await counted(candidate('good'));
    assert.equal(calls, 1);
  });

  it('isServerCapable', () => {
    assert.equal(isServerCapable([3, 10, 0]), true);
    assert.equal(isServerCapable([4, 0, 0]), true);
    assert.equal(isServerCapable([3, 9, 18]), false);
  });
});

describe('probePython (real processes)', { skip: !posix }, () => {
  it('reads the version and executable of a real Python', async () => {
    const result = await probePython(candidate('python3'));
    assert.equal(result.ok, true);
    if (result.ok) {
      assert.equal(result.info.version[0], 3);
      assert.ok(path.isAbsolute(result.info.executable));
    }
  });

  it('a missing interpreter', async () => {
    const result = await probePython(candidate(path.join(scratch, 'no-such-python')));
    assert.deepEqual(result, { ok: false, reason: 'was not found' });
  });

  it('a broken interpreter: exit code and the end of stderr', async () => {
    const broken = fakePython('broken', 'echo "Fatal Python error: init_fs_encoding" >&2; exit 1');
    const result = await probePython(candidate(broken));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /exited with code 1: Fatal Python error: init_fs_encoding/);
  });

  it('something that is not Python', async () => {
    const liar = fakePython('liar', 'echo hello');
    const result = await probePython(candidate(liar));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /is not a working Python/);
  });

  it('an interpreter that hangs is given up on', async () => {
    const hung = fakePython('hung', 'exec sleep 30');
    const result = await probePython(candidate(hung), 300);
    assert.deepEqual(result, { ok: false, reason: 'did not answer within 0 s' });
  });

  it('an old Python is found but rejected for the server', async () => {
    const old = fakePython('old', `echo '{"executable": "/opt/py38/bin/python", "version": [3, 8, 18]}'`);
    const result = await resolveServerPython([candidate(old)], (c) => probePython(c));
    assert.equal(result.found, undefined);
    assert.match(result.tried[0].reason, /is Python 3\.8\.18/);
  });
});

describe('expandPath', () => {
  it('expands ~, ${userHome} and ${workspaceFolder}', () => {
    assert.equal(expandPath('~/venv/bin/python', '/home/u', undefined), path.join('/home/u', 'venv/bin/python'));
    assert.equal(expandPath('${userHome}/x', '/home/u', undefined), '/home/u/x');
    assert.equal(expandPath('${workspaceFolder}/.venv/bin/python', '/h', '/ws'), '/ws/.venv/bin/python');
    assert.equal(expandPath('  /usr/bin/python3 ', '/h', '/ws'), '/usr/bin/python3');
  });
});
