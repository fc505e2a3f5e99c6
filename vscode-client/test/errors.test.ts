import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as messages from '../src/messages';
import { Once, RestartPolicy } from '../src/restartPolicy';
import { countDiagnostics, statusView } from '../src/status';

describe('RestartPolicy (no restart loop)', () => {
  it('never restarts a server that died before it finished starting', () => {
    const policy = new RestartPolicy();
    assert.deepEqual(policy.onClosed(0, false), { action: 'give-up', why: 'crashed-at-start', crashes: 1 });
  });

  it('restarts a running server a few times, then gives up', () => {
    const policy = new RestartPolicy(3, 180_000);
    assert.equal(policy.onClosed(1_000, true).action, 'restart');
    assert.equal(policy.onClosed(2_000, true).action, 'restart');
    assert.equal(policy.onClosed(3_000, true).action, 'restart');
    assert.deepEqual(policy.onClosed(4_000, true), { action: 'give-up', why: 'crashed-repeatedly', crashes: 4 });
  });

  it('forgets crashes outside the window, and on reset', () => {
    const policy = new RestartPolicy(1, 10_000);
    assert.equal(policy.onClosed(0, true).action, 'restart');
    assert.equal(policy.onClosed(20_000, true).action, 'restart');
    assert.equal(policy.onClosed(21_000, true).action, 'give-up');
    policy.reset();
    assert.equal(policy.onClosed(22_000, true).action, 'restart');
  });
});

describe('Once (one notification per problem)', () => {
  it('lets each key through once until reset', () => {
    const once = new Once();
    assert.equal(once.first('no-python'), true);
    assert.equal(once.first('no-python'), false);
    assert.equal(once.first('settings:x'), true);
    once.forget('settings:x');
    assert.equal(once.first('settings:x'), true);
    assert.equal(once.first('no-python'), false);
    once.reset();
    assert.equal(once.first('no-python'), true);
  });
});

describe('messages say what happened and what to do', () => {
  const tried = [
    { candidate: { command: 'python3', args: [], origin: 'PATH' }, reason: 'was not found' },
    { candidate: { command: 'py', args: ['-3'], origin: 'PATH' }, reason: 'was not found' },
  ];
  it('no Python', () => {
    const text = messages.noPython(tried, true);
    assert.match(text, /needs Python 3\.10 or newer/);
    assert.match(text, /tried python3, py -3/);
    assert.match(text, /Python: Select Interpreter/);
    assert.match(text, /mindport\.interpreter/);
    assert.match(text, /Restart Language Server/);
    assert.doesNotMatch(messages.noPython(tried, false), /Select Interpreter/);
  });
  it('crashes point at the output channel and the restart command', () => {
    for (const text of [messages.crashedAtStart(), messages.crashedRepeatedly(4), messages.startFailed('spawn EACCES')]) {
      assert.match(text, /"MindPort" output channel/);
      assert.match(text, /MindPort: Restart Language Server/);
    }
  });
  it('settings and interpreter problems', () => {
    assert.match(messages.invalidSettings(['mindport.target should be a string, not 1; using "mint"']), /Fix them in your settings/);
    assert.match(messages.badInterpreterSetting('/x/python', 'was not found'), /"\/x\/python", which was not found/);
  });
});

describe('status bar', () => {
  it('counts only MindPort diagnostics, by code', () => {
    const counts = countDiagnostics([
      { source: 'mindport', code: 'MP101' },
      { source: 'mindport', code: { value: 'MP101' } },
      { source: 'mindport', code: 'MP301' },
      { source: 'Pylance', code: 'reportMissingImports' },
    ]);
    assert.deepEqual(counts, { total: 3, byCode: [['MP101', 2], ['MP301', 1]] });
    assert.equal(statusView('running', counts, false).text, 'MindPort: 3 (MP101 2, MP301 1)');
  });
  it('shows limited mode, an empty file, more codes, and failures', () => {
    assert.equal(statusView('running', { total: 0, byCode: [] }, true).text, '$(shield) MindPort: $(check) 0');
    const many = { total: 6, byCode: [['A', 3], ['B', 1], ['C', 1], ['D', 1]] as Array<[string, number]> };
    assert.equal(statusView('running', many, false).text, 'MindPort: 6 (A 3, B 1, +2 more)');
    assert.match(statusView('failed', undefined, false).tooltip, /show its output/);
  });
});
