import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { bundleLanguage, english, format, fromBundle } from '../src/l10n';
import { statusView } from '../src/status';

const CLIENT = path.resolve(__dirname, '..', '..');
const bundle = JSON.parse(fs.readFileSync(path.join(CLIENT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** Every message the sources pass to the translator (`t('...')` / `t("...")`). */
function messagesInSources(): string[] {
  const found = new Set<string>();
  const call = /\bt\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const file of fs.readdirSync(path.join(CLIENT, 'src'))) {
    const text = fs.readFileSync(path.join(CLIENT, 'src', file), 'utf8');
    for (const match of text.matchAll(call)) {
      found.add((match[1] ?? match[2]).replace(/\\(.)/g, '$1'));
    }
  }
  return [...found];
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('l10n bundles', () => {
  it('translate every message of ours into Simplified Chinese, with the same placeholders', () => {
    const messages = messagesInSources();
    assert.ok(messages.length > 25, `found ${messages.length} messages`);
    for (const message of messages) {
      const translated = bundle[message];
      assert.ok(translated, `no Chinese for: ${message}`);
      assert.match(translated, /[\u4e00-\u9fff]/, message);
      assert.deepEqual(placeholders(translated), placeholders(message), message);
    }
    assert.deepEqual(Object.keys(bundle).filter((key) => !messages.includes(key)), [], 'unused translations');
  });

  it('follow the locale setting, else the display language', () => {
    assert.equal(bundleLanguage('zh-cn', 'en'), 'zh-cn');
    assert.equal(bundleLanguage('en', 'zh-cn'), 'en');
    assert.equal(bundleLanguage('auto', 'zh-tw'), 'zh-cn');
    assert.equal(bundleLanguage(undefined, 'de'), 'en');
  });

  it('fill placeholders and fall back to English', () => {
    assert.equal(format('{1} and {0}', ['a', 2]), '2 and a');
    assert.equal(english('+{0} more', 3), '+3 more');
    assert.equal(fromBundle(bundle)('+{0} more', 3), '另有 3 项');
    assert.equal(fromBundle({})('+{0} more', 3), '+3 more');
  });
});

describe('status bar', () => {
  it('shows a spinner, not a 0, until the server has answered for the file', () => {
    assert.equal(statusView('running', undefined, false).text, '$(sync~spin) MindPort');
    assert.equal(statusView('running', { total: 0, byCode: [] }, false).text, 'MindPort: $(check) 0');
  });

  it('says when part of the file could not be analysed', () => {
    const view = statusView('running', { total: 3, byCode: [['MP101', 2], ['MP001', 1]] }, false);
    assert.equal(view.text, '$(warning) MindPort: 2 (MP101 2)');
    assert.match(view.tooltip, /syntax error/);
  });

  it('speaks Chinese with the Chinese bundle', () => {
    const view = statusView('running', { total: 1, byCode: [['MP101', 1]] }, true, fromBundle(bundle));
    assert.match(view.tooltip, /此文件中的 MindPort 问题/);
    assert.doesNotMatch(view.tooltip, /findings|Problems/);
  });
});
