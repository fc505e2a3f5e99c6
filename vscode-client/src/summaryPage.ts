/**
 * The migration summary page (what `mindport report` writes; the server sends it as `html` with
 * the summary) made safe for a webview: a content security policy that lets nothing load and
 * nothing run, only the page's inline styles and data images. Pure: tested without VS Code.
 */

/** The policy for the page: nothing loads, nothing runs; inline styles and data images only. */
export function contentSecurityPolicy(cspSource: string): string {
  return `default-src 'none'; style-src 'unsafe-inline' ${cspSource}; img-src data: ${cspSource};`;
}

/** The report page with the policy as the first element of its head. */
export function withPolicy(html: string, cspSource: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource)}">`;
  const head = /<head[^>]*>/i.exec(html);
  if (head) {
    const at = head.index + head[0].length;
    return html.slice(0, at) + meta + html.slice(at);
  }
  return `<!DOCTYPE html><html><head>${meta}</head><body>${html}</body></html>`;
}
