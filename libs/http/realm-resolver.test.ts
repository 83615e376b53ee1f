import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import pino from 'pino';
import { requestRealmOf } from '../x';
import { withMiddlewares } from './node-middleware';
import { realmOfHost, realmResolver } from './realm-resolver';
import { ctxOf, requestCtx } from './request-ctx';
import { requestId } from './request-id';

/** Runs the edge's first middlewares on `url` and returns what the handler sees. */
function seen(url: string, host?: string, suffix?: string): { url: string; originalUrl?: string; realm: string; prefix: string; ctxRealm: string } {
  const req = new IncomingMessage(new Socket()) as IncomingMessage & { originalUrl?: string };
  req.url = url;
  req.headers = host ? { host } : {};
  let out: ReturnType<typeof seen> | undefined;
  withMiddlewares([requestId(), realmResolver(suffix), requestCtx(pino({ enabled: false }))], (r: IncomingMessage & { originalUrl?: string }) => {
    out = { url: r.url!, originalUrl: r.originalUrl, ...requestRealmOf(r), realm: requestRealmOf(r).name, ctxRealm: ctxOf(r).realm };
  })(req, new ServerResponse(req));
  const { name: _name, ...rest } = out as ReturnType<typeof seen> & { name?: string };
  return rest;
}

describe('realmResolver', () => {
  it('strips /realms/{realm} and sets ctx.realm, keeping the full URL in originalUrl', () => {
    expect(seen('/realms/acme/sessions/whoami?x=1')).toEqual({ url: '/sessions/whoami?x=1', originalUrl: '/realms/acme/sessions/whoami?x=1', realm: 'acme', prefix: '/realms/acme', byPath: true, ctxRealm: 'acme' });
    expect(seen('/realms/acme')).toMatchObject({ url: '/', realm: 'acme', ctxRealm: 'acme' });
    expect(seen('/realms/acme?x=1')).toMatchObject({ url: '/?x=1', realm: 'acme' });
  });

  it('treats /realms/default/… as the unprefixed default realm', () => {
    expect(seen('/realms/default/health/alive')).toEqual({ url: '/health/alive', originalUrl: undefined, realm: 'default', prefix: '', byPath: true, ctxRealm: 'default' });
  });

  it('leaves other paths to the default realm, including look-alikes of the prefix', () => {
    expect(seen('/sessions/whoami')).toMatchObject({ url: '/sessions/whoami', realm: 'default', ctxRealm: 'default' });
    expect(seen('/realmsx/acme/a')).toMatchObject({ url: '/realmsx/acme/a', realm: 'default' });
  });

  it('resolves the host only with a suffix, and the prefix wins over the host', () => {
    expect(seen('/a', 'acme.auth.test:4433')).toMatchObject({ realm: 'default' });
    expect(seen('/a', 'acme.auth.test:4433', '.auth.test')).toMatchObject({ url: '/a', realm: 'acme', prefix: '', ctxRealm: 'acme' });
    expect(seen('/realms/other/a', 'acme.auth.test', '.auth.test')).toMatchObject({ url: '/a', realm: 'other' });
  });
});

describe('realmOfHost', () => {
  it('takes exactly one label before the suffix, case-insensitively, ignoring the port', () => {
    expect(realmOfHost('ACME.Auth.Test:443', '.auth.test')).toBe('acme');
    expect(realmOfHost('acme.auth.test', 'auth.test')).toBe('acme');
    expect(realmOfHost('auth.test', '.auth.test')).toBeUndefined();
    expect(realmOfHost('a.b.auth.test', '.auth.test')).toBeUndefined();
    expect(realmOfHost('acme.evil.test', '.auth.test')).toBeUndefined();
    expect(realmOfHost(undefined, '.auth.test')).toBeUndefined();
  });
});
