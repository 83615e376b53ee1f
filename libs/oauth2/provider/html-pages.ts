/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const page = (title: string, body: string, head = ''): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${head}</head><body>${body}</body></html>`;

/**
 * Hydra's front-channel logout page: one hidden iframe per client (`frontchannel_logout_uri?iss=&sid=`),
 * then the browser continues to `next` once every frame has loaded, or after 7 seconds at the latest.
 * No inline style or event handler: its one script carries `nonce` (see {@link frontchannelLogoutCsp}).
 */
export function frontchannelLogoutPage(iframeUrls: readonly string[], next: string, nonce: string): string {
  const frames = iframeUrls.map((u) => `<iframe src="${escapeHtml(u)}" hidden></iframe>`).join('');
  const script =
    `<script nonce="${escapeHtml(nonce)}">var fs=document.querySelectorAll('iframe');var left=fs.length;` +
    `var go=function(){window.location.replace(${JSON.stringify(next).replace(/</g, '\\u003c')});};` +
    `fs.forEach(function(f){f.addEventListener('load',function(){left-=1;if(left<=0)go();});});setTimeout(go,7000);</script>`;
  return page('Logging out', `${frames}${script}<noscript><a href="${escapeHtml(next)}">Continue</a></noscript>`);
}

/**
 * The front-channel logout page's CSP: it frames exactly the origins of `iframeUrls`, runs only the
 * script with `nonce`, loads nothing else, and is itself never framed.
 */
export function frontchannelLogoutCsp(iframeUrls: readonly string[], nonce: string): string {
  const origins = [...new Set(iframeUrls.map((u) => new URL(u).origin))];
  return `default-src 'none'; script-src 'nonce-${nonce}'; frame-src ${origins.join(' ')}; base-uri 'none'; frame-ancestors 'none'`;
}

/** The device flow's user-code page (RFC 8628); `form` is the engine's form with its CSRF field. */
export function userCodeInputPage(form: string, error?: string): string {
  return page('Device login', `<h1>Device login</h1>${error ? `<p class="error">${escapeHtml(error)}</p>` : '<p>Enter the code shown on your device.</p>'}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

/** The device flow's confirmation page. */
export function userCodeConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm device',
    `<h1>Confirm device</h1><p>${escapeHtml(clientName)} shows the code <code>${escapeHtml(userCode)}</code>.</p>${form}<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button><button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">Abort</button>`,
  );
}

/** The device flow's success page. */
export function deviceSuccessPage(clientName: string): string {
  return page('Device login complete', `<h1>Done</h1><p>${escapeHtml(clientName)} is signed in. You can close this page.</p>`);
}

/** Hydra's fallback pages for unconfigured UIs (`/oauth2/fallbacks/*`). */
export function fallbackPage(title: string, text: string, details: Record<string, string> = {}): string {
  const rows = Object.entries(details)
    .map(([k, v]) => `<p><strong>${escapeHtml(k)}</strong>: ${escapeHtml(v)}</p>`)
    .join('');
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${rows}`);
}
