import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkValue, type Properties } from '../src/schema';
import { interpreterSetting, serverSettings } from '../src/settings';

const ROOT = path.resolve(__dirname, '..', '..');
const properties = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Properties } };
  }
).contributes.configuration.properties;

function reader(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('serverSettings (settings -> initializationOptions)', () => {
  it('sends every declared setting, nested like VS Code does, with defaults', () => {
    const { settings, problems } = serverSettings(properties, reader({}), { interpreter: '' });
    assert.deepEqual(problems, []);
    assert.equal(settings.locale, 'auto');
    assert.equal(settings.target, 'mint');
    assert.equal(settings.interpreter, '');
    assert.deepEqual(settings.jedi, { enabled: true });
    assert.deepEqual(settings.diagnostics, { debounceMs: 300 });
    assert.deepEqual(settings.trace, { server: 'off' });
    assert.deepEqual(settings.rules, {});
    assert.deepEqual(settings.include, ['**/*.py', '**/*.ipynb']);
  });

  it('checks per-rule severities (codes and values) and glob lists', () => {
    const good = serverSettings(properties, reader({ rules: { MP202: 'off', MP101: 'hint' }, exclude: ['build/**'] }));
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.settings.rules, { MP202: 'off', MP101: 'hint' });
    assert.deepEqual(good.settings.exclude, ['build/**']);
    const bad = serverSettings(properties, reader({ rules: { MP202: 'loud' }, exclude: 'build/**' }));
    assert.deepEqual(bad.settings.rules, {});
    assert.deepEqual(bad.settings.exclude, []);
    assert.match(bad.problems.join('\n'), /mindport\.rules\.MP202 should be one of/);
    assert.match(bad.problems.join('\n'), /mindport\.exclude should be an array, not "build\/\*\*"/);
    const badCode = serverSettings(properties, reader({ rules: { E501: 'off' } }));
    assert.match(badCode.problems[0], /mindport\.rules has a key "E501" that does not match/);
  });

  it('passes valid values through', () => {
    const { settings, problems } = serverSettings(
      properties,
      reader({ target: 'classic', locale: 'zh-cn', 'jedi.enabled': false, 'diagnostics.debounceMs': 50 }),
      { interpreter: '/envs/torch/bin/python' },
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.target, 'classic');
    assert.equal(settings.locale, 'zh-cn');
    assert.deepEqual(settings.jedi, { enabled: false });
    assert.deepEqual(settings.diagnostics, { debounceMs: 50 });
    assert.equal(settings.interpreter, '/envs/torch/bin/python');
  });

  it('replaces values of the wrong type by the default and says so', () => {
    const { settings, problems } = serverSettings(
      properties,
      reader({ target: 42, 'jedi.enabled': 'yes', 'diagnostics.debounceMs': 99999, locale: 'fr' }),
      { interpreter: '' },
    );
    assert.equal(settings.target, 'mint');
    assert.deepEqual(settings.jedi, { enabled: true });
    assert.deepEqual(settings.diagnostics, { debounceMs: 300 });
    assert.equal(settings.locale, 'auto');
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /mindport\.target should be a string, not 42; using "mint"/);
    assert.match(problems.join('\n'), /mindport\.jedi\.enabled should be a boolean, not "yes"/);
    assert.match(problems.join('\n'), /mindport\.diagnostics\.debounceMs should be at most 5000/);
    assert.match(problems.join('\n'), /mindport\.locale should be one of "auto", "en", "zh-cn", not "fr"/);
  });

  it('the resolved interpreter overrides the raw setting (which may be relative or broken)', () => {
    const { settings } = serverSettings(properties, reader({ interpreter: '~/venv/bin/python' }), {
      interpreter: '/home/u/venv/bin/python',
    });
    assert.equal(settings.interpreter, '/home/u/venv/bin/python');
  });

  it('picks up settings added to the schema later (object-valued ones too)', () => {
    const extended: Properties = {
      ...properties,
      'mindport.severity': {
        type: 'object',
        default: {},
        additionalProperties: { type: 'string', enum: ['Error', 'Warning', 'Information', 'Hint'] },
      },
    };
    const good = serverSettings(extended, reader({ severity: { MP101: 'Error' } }), { interpreter: '' });
    assert.deepEqual(good.settings.severity, { MP101: 'Error' });
    assert.deepEqual(good.problems, []);
    const bad = serverSettings(extended, reader({ severity: { MP101: 'Loud' } }), { interpreter: '' });
    assert.deepEqual(bad.settings.severity, {});
    assert.match(bad.problems[0], /mindport\.severity\.MP101 should be one of/);
  });

  it('interpreterSetting trims and ignores non-strings', () => {
    assert.equal(interpreterSetting(reader({ interpreter: '  /usr/bin/python3 ' })), '/usr/bin/python3');
    assert.equal(interpreterSetting(reader({ interpreter: 3 })), '');
    assert.equal(interpreterSetting(reader({})), '');
  });
});

describe('checkValue', () => {
  it('treats integers as numbers but not the other way round', () => {
    assert.equal(checkValue('x', 3, { type: 'number' }), undefined);
    assert.match(checkValue('x', 3.5, { type: 'integer' }) ?? '', /x should be an integer, not 3\.5/);
  });
  it('accepts union types and checks array items', () => {
    assert.equal(checkValue('x', null, { type: ['string', 'null'] }), undefined);
    assert.match(checkValue('x', ['a', 1], { type: 'array', items: { type: 'string' } }) ?? '', /x\[1\] should be a string/);
  });
});
