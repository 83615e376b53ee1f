import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { isOryError } from '../http/errors';
import { JwtSigner, KeyManager, MemoryKeyStore } from '../keys';
import { type Transaction, type Ctx, withTx } from '../x';
import { SessionTokenizer, type TokenizerKeySource, resolveSessionPath } from './session-tokenizer';
import { sessionFixtures } from './testing/session-fixtures';
import { toWire } from './wire';
import { testCtx } from '../x/testing';

const ctx = testCtx();

const TEMPLATES = {
  backend: {
    key_set: 'tessera.session.backend',
    ttl: '10m',
    audience: ['https://api.example.com'],
    claims: { email: 'identity.traits.email', aal: 'authenticator_assurance_level', first_method: 'authentication_methods.0.method', missing: 'identity.traits.nope' },
  },
  by_email: { jwks_url: 'base64://e30=', subject_source: 'identity.traits.email' },
  by_missing: { key_set: 's', subject_source: 'identity.metadata_public.nope' },
};

/** Fixtures with the templates above and a signer that records what it was asked to sign. */
function setup() {
  const f = sessionFixtures({ session: { whoami: { tokenizer: { templates: structuredClone(TEMPLATES) } } } });
  const signed: { claims: Record<string, unknown>; source: TokenizerKeySource }[] = [];
  const sessionJwtSigner = {
    sign: async (_ctx: Ctx, claims: Record<string, unknown>, source: TokenizerKeySource) => {
      signed.push({ claims, source });
      return 'signed.jwt';
    },
  };
  return { ...f, signed, tokenizer: new SessionTokenizer({ config: f.config, clock: f.clock, sessionJwtSigner }) };
}

describe('SessionTokenizer', () => {
  it('maps the template claims from the session JSON, with the fixed claims and the TTL by the clock', async () => {
    const f = setup();
    const identity = f.identity();
    const { session } = await f.login(identity);
    const body = toWire(session, identity, f.config);
    expect(await f.tokenizer.withTokenized(ctx, body, session, 'backend')).toEqual({ ...body, tokenized: 'signed.jwt' });
    const now = Math.floor(f.clock.now().getTime() / 1000);
    expect(f.signed).toEqual([
      {
        source: { keySet: 'tessera.session.backend' },
        claims: {
          jti: expect.any(String),
          iss: 'https://auth.example.com/',
          sub: identity.id,
          sid: session.id,
          iat: now,
          nbf: now,
          exp: now + 600,
          aud: 'https://api.example.com',
          email: identity.traits.email,
          aal: 'aal1',
          first_method: 'password',
        },
      },
    ]);
  });

  it('takes the subject from a path and signs with a JWKS URL when the template says so; the TTL defaults to one minute', async () => {
    const f = setup();
    const identity = f.identity();
    const { session } = await f.login(identity);
    await f.tokenizer.tokenize(ctx, 'by_email', session, toWire(session, identity, f.config));
    const [{ claims, source }] = f.signed;
    expect(source).toEqual({ jwksUrl: 'base64://e30=' });
    expect(claims.sub).toBe(identity.traits.email);
    expect(claims).not.toHaveProperty('aud');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(60);
  });

  it('answers 400 for an unknown template or a subject path without a value, and returns the body unchanged without a template', async () => {
    const f = setup();
    const identity = f.identity();
    const { session } = await f.login(identity);
    const body = toWire(session, identity, f.config);
    expect(await f.tokenizer.withTokenized(ctx, body, session, undefined)).toBe(body);
    expect(await f.tokenizer.withTokenized(ctx, body, session, '')).toBe(body);
    for (const [template, reason] of [
      ['nope', 'Unable to find tokenizer template "nope".'],
      ['__proto__', 'Unable to find tokenizer template "__proto__".'],
      ['by_missing', 'The session has no value at identity.metadata_public.nope, which the tokenizer template uses as the subject.'],
    ]) {
      const error = await f.tokenizer.withTokenized(ctx, body, session, template).catch((e: unknown) => e);
      expect(isOryError(error) && [error.code, error.reason]).toEqual([400, reason]);
    }
    expect(f.signed).toEqual([]);
  });

  it('produces a JWT that verifies against the key set when backed by the key manager', async () => {
    const f = setup();
    const identity = f.identity();
    const { session } = await f.login(identity);
    const transactions = { withTransaction: <T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>) => work(withTx(ctx, {} as Transaction)) };
    const keyManager = new KeyManager({ keyStore: new MemoryKeyStore(), clock: f.clock, config: f.config, secrets: f.secrets, transactions });
    const tokenizer = new SessionTokenizer({ config: f.config, clock: f.clock, sessionJwtSigner: new JwtSigner({ keyManager, clock: f.clock, config: f.config }) });
    const jwt = await tokenizer.tokenize(ctx, 'backend', session, toWire(session, identity, f.config));
    const key = await keyManager.signingKey(ctx, 'tessera.session.backend');
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: key.kid, typ: 'JWT' });
    const jwks = { keys: (await keyManager.getSet(ctx, 'tessera.session.backend')).map(({ d: _d, ...pub }) => pub) };
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
      issuer: 'https://auth.example.com/',
      audience: 'https://api.example.com',
      currentDate: f.clock.now(),
    });
    expect(payload).toMatchObject({ sub: identity.id, sid: session.id, email: identity.traits.email });
  });
});

describe('resolveSessionPath', () => {
  it('walks objects and array indexes, and gives undefined for a missing step or an inherited member', () => {
    const json = { a: { b: [{ c: 1 }, { c: 2 }] }, n: null };
    expect(resolveSessionPath(json, 'a.b.1.c')).toBe(2);
    expect(resolveSessionPath(json, 'a.b')).toEqual([{ c: 1 }, { c: 2 }]);
    expect(resolveSessionPath(json, 'a.x.c')).toBeUndefined();
    expect(resolveSessionPath(json, 'a.b.c')).toBeUndefined();
    expect(resolveSessionPath(json, 'n.x')).toBeUndefined();
    expect(resolveSessionPath(json, 'a.constructor')).toBeUndefined();
  });
});
