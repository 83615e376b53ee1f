/**
 * A tiny server-rendered self-service UI for Tessera: it renders any flow's `ui.nodes` with one generic
 * loop, the way a custom login UI would. Not part of Tessera itself; used by the browser journey test.
 *
 *   npm run build && TESSERA_PUBLIC_URL=http://127.0.0.1:4433 PORT=4455 node dist/examples/ui/server.js
 *
 * Configure Tessera with selfservice.flows.{login,registration,settings}.ui_url = http://127.0.0.1:4455/{login,registration,settings},
 * selfservice.flows.error.ui_url = http://127.0.0.1:4455/error and default_browser_return_url = http://127.0.0.1:4455/.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

interface UiText {
  id: number;
  text: string;
  type: string;
}
interface UiNode {
  type: string;
  group: string;
  attributes: {
    name?: string;
    type?: string;
    value?: unknown;
    required?: boolean;
    disabled?: boolean;
    text?: UiText;
    onclick?: string;
    // script nodes (WebAuthn): src, integrity, crossorigin, referrerpolicy, nonce, id
    src?: string;
    integrity?: string;
    crossorigin?: string;
    referrerpolicy?: string;
    nonce?: string;
    id?: string;
  };
  messages: UiText[];
  meta: { label?: UiText };
}
interface Flow {
  id: string;
  ui: { action: string; method: string; nodes: UiNode[]; messages?: UiText[] };
}

const escape = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Renders one node: inputs (with label and messages), text nodes, `script` nodes (loaded with their
 * SRI hash, e.g. webauthn.js) and `button` inputs that run their `onclick` (the WebAuthn triggers);
 * other node types are skipped.
 */
function renderNode(node: UiNode): string {
  const a = node.attributes;
  const messages = node.messages.map((m) => `<p class="message ${escape(m.type)}" data-id="${m.id}">${escape(m.text)}</p>`).join('');
  if (node.type === 'text') return `<p>${escape(a.text?.text)}</p>`;
  if (node.type === 'script') {
    return `<script src="${escape(a.src)}" integrity="${escape(a.integrity)}" crossorigin="${escape(a.crossorigin)}" referrerpolicy="${escape(a.referrerpolicy)}" nonce="${escape(a.nonce)}" id="${escape(a.id)}" async></script>`;
  }
  if (node.type !== 'input') return '';
  if (a.type === 'button') {
    return `<button type="button" name="${escape(a.name)}" value="${escape(a.value)}" onclick="${escape(a.onclick)}">${escape(node.meta.label?.text ?? a.name)}</button>${messages}`;
  }
  if (a.type === 'submit') {
    return `<button type="submit" name="${escape(a.name)}" value="${escape(a.value)}">${escape(node.meta.label?.text ?? a.value)}</button>${messages}`;
  }
  const input = `<input name="${escape(a.name)}" type="${escape(a.type)}" value="${escape(a.type === 'password' ? '' : a.value)}"${a.required ? ' required' : ''}${a.disabled ? ' disabled' : ''}>`;
  if (a.type === 'hidden') return input;
  return `<label>${escape(node.meta.label?.text ?? a.name)} ${input}</label>${messages}`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

/** Starts the example UI against a Tessera public URL. */
export function startExampleUi(tesseraPublicUrl: string, port: number): Promise<Server> {
  const tessera = tesseraPublicUrl.replace(/\/$/, '');
  const fetchJson = async (path: string, req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${tessera}${path}`, { headers: { accept: 'application/json', cookie: req.headers.cookie ?? '' } });
    return { status: res.status, body: await res.json() };
  };
  const send = (res: ServerResponse, status: number, html: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const flowId = url.searchParams.get('flow');
      const kind = url.pathname.slice(1);
      if (kind === 'login' || kind === 'registration' || kind === 'settings') {
        if (!flowId) {
          res.writeHead(303, { location: `${tessera}/self-service/${kind}/browser` });
          res.end();
          return;
        }
        const { status, body } = await fetchJson(`/self-service/${kind}/flows?id=${encodeURIComponent(flowId)}`, req);
        if (status !== 200) {
          res.writeHead(303, { location: `${tessera}/self-service/${kind}/browser` });
          res.end();
          return;
        }
        const flow = body as Flow;
        const messages = (flow.ui.messages ?? []).map((m) => `<p class="message ${escape(m.type)}" data-id="${m.id}">${escape(m.text)}</p>`).join('');
        const form = `<form action="${escape(flow.ui.action)}" method="${escape(flow.ui.method)}">${flow.ui.nodes.map(renderNode).join('')}</form>`;
        send(res, 200, page({ login: 'Sign in', registration: 'Sign up', settings: 'Settings' }[kind], messages + form));
        return;
      }
      if (url.pathname === '/error') {
        const { body } = await fetchJson(`/self-service/errors?id=${encodeURIComponent(url.searchParams.get('id') ?? '')}`, req);
        send(res, 200, page('Error', `<pre id="error">${escape(JSON.stringify(body, null, 2))}</pre>`));
        return;
      }
      if (url.pathname === '/') {
        const { status, body } = await fetchJson('/sessions/whoami', req);
        const links = '<p><a href="/login">Sign in</a> <a href="/registration">Sign up</a></p>';
        send(res, 200, page('Home', status === 200 ? `<pre id="session">${escape(JSON.stringify(body, null, 2))}</pre>` : `<p id="anonymous">Not signed in.</p>${links}`));
        return;
      }
      send(res, 404, page('Not found', ''));
    } catch (error) {
      send(res, 502, page('Tessera unreachable', `<pre>${escape((error as Error).message)}</pre>`));
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (require.main === module) {
  const port = Number(process.env.PORT ?? 4455);
  startExampleUi(process.env.TESSERA_PUBLIC_URL ?? 'http://127.0.0.1:4433', port).then(() => {
    process.stdout.write(`example UI on http://127.0.0.1:${port}\n`);
  });
}
