// package.json must agree with the server's settings schema and with the code.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../src/commands';

const CLIENT = path.resolve(__dirname, '..', '..');
const read = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));
const manifest = read(path.join(CLIENT, 'package.json'));
const schema = read(path.join(CLIENT, '..', 'server', 'mindport', 'settings_schema.json'));
const nls = read(path.join(CLIENT, 'package.nls.json'));
const nlsZh = read(path.join(CLIENT, 'package.nls.zh-cn.json'));

describe('package.json', () => {
  it('declares exactly the schema settings, with their types, defaults, enums and scopes', () => {
    const declared = manifest.contributes.configuration.properties;
    const expected = Object.keys(schema.properties).map((key) => `${schema.section}.${key}`);
    assert.deepEqual(Object.keys(declared), expected, 'run `npm run sync-settings`');
    for (const [key, spec] of Object.entries<any>(schema.properties)) {
      const entry = declared[`${schema.section}.${key}`];
      for (const field of ['type', 'default', 'enum', 'scope', 'minimum', 'maximum']) {
        assert.deepEqual(entry[field], spec[field], `${key}.${field} (run \`npm run sync-settings\`)`);
      }
      const placeholder = /^%(.+)%$/.exec(entry.markdownDescription)?.[1];
      assert.ok(placeholder, `${key} has a localised description`);
      assert.equal(nls[placeholder], spec.description.en);
      assert.equal(nlsZh[placeholder], spec.description.zh);
    }
  });

  it('every %placeholder% has English and Chinese text', () => {
    const placeholders = JSON.stringify(manifest).match(/%[\w.-]+%/g) ?? [];
    for (const placeholder of placeholders) {
      const key = placeholder.slice(1, -1);
      assert.ok(nls[key], `${key} in package.nls.json`);
      assert.ok(nlsZh[key], `${key} in package.nls.zh-cn.json`);
    }
  });

  it('activates for Python: an open file, or a workspace with Python files (the server is ready before the first file opens)', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:python', 'workspaceContains:**/*.py']);
  });

  it('contributes the commands the extension registers', () => {
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  });

  it('runs in limited mode in untrusted workspaces, restricting the interpreter setting', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['mindport.interpreter']);
  });

  it('ships the bundled server bootstrap and the bundled libraries', () => {
    const ignore = readFileSync(path.join(CLIENT, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!bundled\/\*\*$/m);
    assert.match(ignore, /^!dist\/extension\.js$/m);
    assert.match(ignore, /^!l10n\/\*\*$/m); // the extension reads its message bundles at run time
    assert.equal(manifest.l10n, './l10n');
    assert.ok(existsSync(path.join(CLIENT, 'l10n', 'bundle.l10n.zh-cn.json')));
  });
});
