/** One hop of a browser navigation. */
export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly location?: string;
}

/** Where a navigation stopped: at a URL it was told not to load, or at a non-redirect response. */
export interface Landing {
  readonly url: string;
  readonly status?: number;
  readonly body?: string;
  /** The response headers of the page (absent when stopped before loading). */
  readonly headers?: Headers;
  readonly hops: readonly Hop[];
}

/**
 * A tiny browser for e2e journeys: a cookie jar (names only; these tests talk to one host) and
 * `fetch` with `redirect: 'manual'`, following redirects itself so it can stop at the login, consent
 * and logout apps and at a relying party's redirect URI without loading them.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  /** Loads `url` and follows redirects until `stopAt(next)` is true or a page (non-3xx) is reached. */
  async navigate(url: string, stopAt: (url: string) => boolean = () => false, init: RequestInit = {}): Promise<Landing> {
    const hops: Hop[] = [];
    let current = url;
    let options: RequestInit = init;
    for (let i = 0; i < 20; i++) {
      if (stopAt(current) && i > 0) return { url: current, hops };
      const res = await fetch(current, { ...options, redirect: 'manual', headers: { ...(options.headers as Record<string, string>), cookie: this.cookieHeader() } });
      this.store(res);
      const location = res.headers.get('location') ?? undefined;
      hops.push({ url: current, status: res.status, location });
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        current = new URL(location, current).href;
        options = {};
        continue;
      }
      return { url: current, status: res.status, body: await res.text(), headers: res.headers, hops };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits an HTML form found in `html` (its action and inputs) as a browser would. */
  async submitForm(html: string, base: string, stopAt: (url: string) => boolean, extra: Record<string, string> = {}): Promise<Landing> {
    const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1] ?? base;
    const fields = Object.fromEntries([...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)].map((m) => [m[1], decodeEntities(m[2])]));
    return this.navigate(new URL(decodeEntities(action), base).href, stopAt, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, ...extra }).toString(),
    });
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Query and fragment parameters of a URL, merged (fragment wins). */
export function urlParams(url: string): Record<string, string> {
  const u = new URL(url);
  return { ...Object.fromEntries(u.searchParams), ...Object.fromEntries(new URLSearchParams(u.hash.replace(/^#/, ''))) };
}
