import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, withPolicy } from '../src/summaryPage';

describe('migration summary page', () => {
  it('puts the policy first in the head: nothing loads or runs, inline styles do', () => {
    const page = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>p{}</style></head><body><p>x</p></body></html>';
    const shown = withPolicy(page, 'vscode-webview:');
    assert.ok(shown.startsWith('<!DOCTYPE html><html lang="en"><head><meta http-equiv="Content-Security-Policy"'));
    assert.ok(shown.endsWith('<meta charset="utf-8"><style>p{}</style></head><body><p>x</p></body></html>'));
    const policy = contentSecurityPolicy('vscode-webview:');
    assert.match(policy, /^default-src 'none';/);
    assert.doesNotMatch(policy, /script-src/);
  });

  it('wraps a fragment in a page with the policy', () => {
    const shown = withPolicy('<p>only a fragment</p>', 'x:');
    assert.match(shown, /^<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.ok(shown.includes('<body><p>only a fragment</p></body>'));
  });
});
