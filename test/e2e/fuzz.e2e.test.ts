import type { RunningServer } from '../../apps/cli/src/server';
import { DEFAULT_PROJECT_ID } from '../../libs/project';
import { bootApps } from '../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

/**
 * Seeded fuzzing of every route of both apps: random methods, paths, query strings, headers and bodies
 * (random JSON, deep nesting, huge strings, wrong types, forms, invalid JSON, wrong content types).
 * Asserts that nothing answers 5xx, that every error is JSON in its surface's shape with
 * `X-Request-Id` (the device flow's HTML pages excepted), and that no request answered 4xx changed
 * the row count of any table. Reproduce a run with `FUZZ_SEED=<printed seed>`; `FUZZ_REQUESTS` sets
 * the number of requests per database.
 */

jest.setTimeout(240_000);

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Date.now() ^ (Math.random() * 0x1_0000_0000)) >>> 0;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);

/** mulberry32: a tiny deterministic PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random choices from one seeded stream. */
class Dice {
  constructor(readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Field names the routes read, so random bodies reach past "unknown key" checks now and then. */
const FIELDS = [
  'method', 'password', 'identifier', 'traits', 'email', 'csrf_token', 'code', 'token', 'session_token', 'schema_id', 'state',
  'metadata_public', 'metadata_admin', 'credentials', 'verifiable_addresses', 'recovery_addresses', 'identity_id', 'expires_in',
  'identities', 'create', 'patch_id', 'op', 'path', 'value', 'from', 'client_id', 'client_name', 'client_secret', 'redirect_uris',
  'grant_types', 'response_types', 'scope', 'audience', 'owner', 'metadata', 'token_endpoint_auth_method', 'jwks', 'jwks_uri',
  'access_token_strategy', 'alg', 'kid', 'use', 'keys', 'kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'issuer', 'subject',
  'allow_any_subject', 'jwk', 'expires_at', 'remember', 'remember_for', 'acr', 'amr', 'context', 'grant_scope',
  'grant_access_token_audience', 'session', 'error', 'error_description', 'status_code', 'force_subject_identifier', 'lookup_secret_confirm',
  'totp_code', 'webauthn_register', 'webauthn_login', 'passkey_register', 'resend', 'link', 'name', 'first', 'upstream_parameters',
  'grant_type', 'refresh_token', 'redirect_uri', 'code_verifier', 'assertion', 'subject_token', 'subject_token_type', 'user_code',
  'xsrf', 'confirm', 'abort', 'device_code', 'id_token_hint', 'post_logout_redirect_uri', 'authorization_code_grant_access_token_lifespan',
  'client_credentials_grant_access_token_lifespan', 'refresh_token_grant_refresh_token_lifespan', 'frontchannel_logout_uri', 'subject_type',
  'sector_identifier_uri', 'allowed_cors_origins', 'contacts', 'logo_uri', 'tos_uri', 'policy_uri', 'client_uri', '__proto__', 'constructor',
];

const QUERY_KEYS = [
  'flow', 'id', 'token', 'code', 'return_to', 'refresh', 'aal', 'page', 'per_page', 'page_size', 'page_token', 'credentials_identifier',
  'include_credential', 'active', 'status', 'recipient', 'tokenize_as', 'login_challenge', 'consent_challenge', 'logout_challenge',
  'subject', 'client', 'all', 'client_id', 'client_name', 'owner', 'issuer', 'expand', 'logout_verifier', 'user_code', 'response_type',
  'redirect_uri', 'scope', 'state', 'nonce', 'prompt', 'max_age', 'code_challenge', 'code_challenge_method', 'id_token_hint',
  'post_logout_redirect_uri', 'error', 'error_description', 'via', 'identity_id', 'login_hint', 'audience', 'resource', 'request',
];

/** Random strings, some of them adversarial. */
function randomString(d: Dice): string {
  switch (d.int(14)) {
    case 0:
      return '';
    case 1:
      return 'x'.repeat(d.pick([255, 256, 321, 513, 1025, 5000, 70_000]));
    case 2:
      return `${'a'.repeat(d.int(400))}@${'b'.repeat(d.int(600) + 1)}.com`;
    case 3:
      return d.pick(['../../etc/passwd', '%00', '\u0000', '\uD800', '😀'.repeat(50), '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '{{.}}']);
    case 4:
      return d.pick(['1h', '0s', '-1s', '9999999999999999999h', '2562048h', '1.5h', 'soon', '1e400h']);
    case 5:
      return d.pick(['00000000-0000-4000-8000-000000000000', 'not-a-uuid', 'ZGVmYXVsdA', 'default', 'password', 'totp', 'oidc', 'webauthn', 'lookup_secret', 'code']);
    case 6:
      return d.pick(['RS256', 'ES256', 'EdDSA', 'HS256', 'none', 'sig', 'enc', 'RSA', 'EC', 'OKP', 'P-256']);
    case 7:
      return d.pick(['http://127.0.0.1/cb', 'https://example.com/cb', 'javascript:alert(1)', 'ftp://x', '//evil', 'http://[::1', 'https://*.example.com']);
    case 8:
      return d.pick(['authorization_code', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:device_code', 'implicit', 'code', 'id_token token']);
    case 9:
      return d.pick(['active', 'inactive', 'queued', 'sent', 'abandoned', 'true', 'false', 'aal1', 'aal2', 'replace', 'add', 'remove', 'move', 'copy', 'test']);
    case 10:
      return d.pick(['/traits/email', '/traits', '/metadata_public', '/state', '/id', '/credentials', '/metadata_public/a', '', '/', '~1']);
    default: {
      const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@ /+=:%&?#"\\\'{}[]<>äé中';
      let s = '';
      for (let i = d.int(40); i > 0; i--) s += alphabet[d.int(alphabet.length)];
      return s;
    }
  }
}

/** A random JSON value, nested at most `depth` more levels. */
function randomJson(d: Dice, depth: number): unknown {
  const kind = depth <= 0 ? d.int(5) : d.int(8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return d.chance(0.5);
    case 2:
      return d.pick([0, -1, 1, 2 ** 53, -(2 ** 63), 1e308, -1e-308, 3.14, 86400, 2_562_048 * 3_600_000, d.int(1_000_000)]);
    case 3:
    case 4:
      return randomString(d);
    case 5:
      return Array.from({ length: d.int(5) }, () => randomJson(d, depth - 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let i = d.int(7); i > 0; i--) obj[d.chance(0.85) ? d.pick(FIELDS) : randomString(d)] = randomJson(d, depth - 1);
      return obj;
    }
  }
}

interface FuzzBody {
  readonly contentType?: string;
  readonly body?: string;
}

function randomBody(d: Dice): FuzzBody {
  switch (d.int(12)) {
    case 0:
      return {};
    case 1: {
      const n = d.pick([65, 100, 1000, 10_000]);
      return { contentType: 'application/json', body: d.chance(0.5) ? '{"a":'.repeat(n) + '1' + '}'.repeat(n) : '['.repeat(n) + ']'.repeat(n) };
    }
    case 2:
      return { contentType: 'application/json', body: d.pick(['{bad', '{"a":', '[1,2', '"unterminated', 'nul', '{"a":1}{"b":2}', '\u0000', '{"__proto__":{"polluted":1}}', '1e99999']) };
    case 3: {
      const pairs = Array.from({ length: d.int(6) + 1 }, () => {
        const key = d.chance(0.3) ? Array.from({ length: d.pick([2, 3, 70, 500]) }, () => d.pick(FIELDS)).join('.') : d.pick(FIELDS);
        return `${pathSegment(key)}=${pathSegment(randomString(d)).slice(0, 4000)}`;
      });
      return { contentType: 'application/x-www-form-urlencoded', body: pairs.join('&') };
    }
    case 4:
        return { contentType: d.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jwt']), body: randomString(d) };
    case 5:
      return { contentType: 'application/json', body: JSON.stringify(Array.from({ length: d.int(4) }, () => ({ op: d.pick(['add', 'replace', 'remove', 'move', 'test', 'bogus']), path: randomString(d), value: randomJson(d, 3) }))) };
    default:
      return { contentType: d.chance(0.9) ? 'application/json' : 'application/merge-patch+json', body: JSON.stringify(randomJson(d, 5)) };
  }
}

/**
 * Every route of both apps (README "API overview", one entry per router path) as `METHODS path`, with
 * `{param}` placeholders; a request uses one of the route's methods three times in four, any other
 * method otherwise.
 */
const PUBLIC_ROUTES = [
  'GET /health/alive', 'GET /health/ready', 'GET /version', 'GET /schemas', 'GET /schemas/{schema}', 'GET /.well-known/ory/webauthn.js',
  'GET /self-service/login/browser', 'GET /self-service/login/api', 'GET /self-service/login/flows', 'GET,POST /self-service/login',
  'GET /self-service/registration/browser', 'GET /self-service/registration/api', 'GET /self-service/registration/flows', 'GET,POST /self-service/registration',
  'GET /self-service/settings/browser', 'GET /self-service/settings/api', 'GET /self-service/settings/flows', 'GET,POST /self-service/settings',
  'GET /self-service/recovery/browser', 'GET /self-service/recovery/api', 'GET /self-service/recovery/flows', 'GET,POST /self-service/recovery',
  'GET /self-service/verification/browser', 'GET /self-service/verification/api', 'GET /self-service/verification/flows', 'GET,POST /self-service/verification',
  'GET /self-service/logout/browser', 'GET /self-service/logout', 'DELETE /self-service/logout/api', 'GET /self-service/errors',
  'GET,POST,PUT /sessions/whoami', 'GET,DELETE /sessions', 'DELETE /sessions/{session}',
  'GET /.well-known/openid-configuration', 'GET /.well-known/oauth-authorization-server', 'GET /.well-known/jwks.json', 'GET,POST /userinfo',
  'GET,POST /oauth2/auth', 'GET /oauth2/auth/{any}', 'POST /oauth2/token', 'POST /oauth2/revoke', 'POST /oauth2/introspect',
  'GET,POST /oauth2/sessions/logout', 'POST /oauth2/sessions/logout/confirm', 'GET /oauth2/sessions/logout/success',
  'POST /oauth2/device/auth', 'GET,POST /oauth2/device/verify', 'GET /oauth2/device/verify/{any}',
  'POST /oauth2/register', 'GET,PUT,DELETE /oauth2/register/{client}',
  'GET /oauth2/fallbacks/error', 'GET /oauth2/fallbacks/login', 'GET,POST /oauth2/{any}', 'GET,POST /{any}',
  'GET,POST /realms/{realm}/self-service/login/api', 'GET,POST /realms/{realm}/oauth2/token', 'GET /realms/{realm}/.well-known/openid-configuration', 'GET,POST /realms/{realm}/{any}',
];
const ADMIN_ROUTES = [
  'GET /health/alive', 'GET /health/ready', 'GET /version', 'GET /admin/schemas', 'GET /admin/schemas/{schema}',
  'GET,POST,PATCH /admin/identities', 'GET,PUT,PATCH,DELETE /admin/identities/{identity}', 'DELETE /admin/identities/{identity}/credentials/{type}',
  'GET,DELETE /admin/identities/{identity}/sessions', 'GET,POST,PATCH /identities', 'GET,PUT,PATCH,DELETE /identities/{identity}',
  'GET /admin/sessions', 'GET,DELETE /admin/sessions/{session}', 'PATCH /admin/sessions/{session}/extend', 'GET,POST /admin/sessions/whoami',
  'GET /admin/courier/messages', 'GET /courier/messages', 'POST /admin/recovery/link', 'POST /admin/recovery/code',
  'GET,POST /admin/clients', 'GET,PUT,PATCH,DELETE /admin/clients/{client}', 'PUT /admin/clients/{client}/lifespans',
  'GET /admin/oauth2/auth/requests/login', 'GET /admin/oauth2/auth/requests/consent', 'GET /admin/oauth2/auth/requests/logout',
  'PUT /admin/oauth2/auth/requests/login/accept', 'PUT /admin/oauth2/auth/requests/login/reject', 'PUT /admin/oauth2/auth/requests/consent/accept',
  'PUT /admin/oauth2/auth/requests/consent/reject', 'PUT /admin/oauth2/auth/requests/logout/accept', 'PUT /admin/oauth2/auth/requests/logout/reject',
  'GET,DELETE /admin/oauth2/auth/sessions/consent', 'DELETE /admin/oauth2/auth/sessions/login', 'POST /admin/oauth2/introspect',
  'DELETE /admin/oauth2/tokens', 'POST /admin/oauth2/flush', 'GET,POST,PUT,DELETE /admin/keys/{set}', 'GET,PUT,DELETE /admin/keys/{set}/{kid}',
  'GET,POST /admin/trust/grants/jwt-bearer/issuers', 'GET,DELETE /admin/trust/grants/jwt-bearer/issuers/{trust}',
  'GET,POST /clients', 'GET /clients/{client}', 'GET /keys/{set}', 'GET /oauth2/auth/requests/login', 'GET,POST /admin/{any}', 'GET,POST /{any}',
  'GET,POST /admin/realms', 'GET,PUT,DELETE /admin/realms/{realm}', 'GET,POST /projects', 'GET,PUT,PATCH,DELETE /projects/{project}', 'GET,POST /realms/{realm}/admin/identities', 'GET,POST /realms/{realm}/admin/{any}',
  'GET,POST /projects/{realm}/tokens', 'DELETE /projects/{realm}/tokens/{any}',
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND'];

/** Known ids, so some requests get past "not found" into the handlers. */
interface Fixtures {
  identity: string;
  session: string;
  sessionToken: string;
  client: string;
  set: string;
  kid: string;
  trust?: string;
  flows: string[];
}

/** A string as one path segment (lone surrogates, which cannot be encoded, become U+FFFD). */
function pathSegment(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')) || 'x';
}

/** A string as a header value (printable ASCII only, as HTTP clients send). */
function headerValue(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '').slice(0, 4000);
}

function fillPath(d: Dice, template: string, f: Fixtures): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (d.chance(0.15)) return pathSegment(randomString(d).slice(0, 2000));
    switch (name) {
      case 'identity':
        return f.identity;
      case 'session':
        return f.session;
      case 'client':
        return f.client;
      case 'set':
        return f.set;
      case 'kid':
        return f.kid;
      case 'trust':
        return f.trust ?? '00000000-0000-4000-8000-000000000000';
      case 'schema':
        return d.pick(['default', 'ZGVmYXVsdA', 'nope']);
      case 'type':
        return d.pick(['password', 'totp', 'oidc', 'code', 'webauthn', 'lookup_secret', 'nope']);
      case 'realm':
        return d.pick(['default', 'nope', 'realms', 'Upper', 'a'.repeat(70)]);
      case 'project':
        return d.pick([DEFAULT_PROJECT_ID, '00000000-0000-4000-8000-000000000000', 'default', 'nope']);
      default:
        return pathSegment(randomString(d).slice(0, 2000));
    }
  });
}

function randomQuery(d: Dice, f: Fixtures): string {
  if (d.chance(0.3)) return '';
  const params = new URLSearchParams();
  for (let i = d.int(4) + 1; i > 0; i--) {
    const key = d.chance(0.9) ? d.pick(QUERY_KEYS) : randomString(d).slice(0, 1000);
    // Request lines beyond Node's 16 KB header limit never reach the apps (Node answers 431 itself).
    const value = key === 'flow' && d.chance(0.6) && f.flows.length ? d.pick(f.flows) : key === 'subject' && d.chance(0.5) ? f.identity : randomString(d).slice(0, 2000);
    params.append(key, value);
  }
  return `?${params.toString()}`;
}

function randomHeaders(d: Dice, f: Fixtures): Record<string, string> {
  const headers: Record<string, string> = {};
  if (d.chance(0.3)) headers.accept = d.pick(['text/html', 'application/json', '*/*', 'text/html,application/json;q=0.9', 'image/png']);
  if (d.chance(0.15)) headers['x-session-token'] = d.chance(0.5) ? f.sessionToken : headerValue(randomString(d));
  if (d.chance(0.1)) headers.authorization = d.pick([`Bearer ${headerValue(randomString(d))}`, `Basic ${Buffer.from(`${randomString(d)}:${randomString(d)}`).toString('base64')}`, 'Basic !!!', `Bearer ${f.sessionToken}`]);
  if (d.chance(0.1)) headers.cookie = `${d.pick(['ory_kratos_session', 'csrf_token', 'ory_hydra_session', '_interaction'])}=${pathSegment(randomString(d)).slice(0, 4000)}`;
  if (d.chance(0.05)) headers.origin = d.pick(['https://evil.example', 'null', 'http://127.0.0.1:4455']);
  // Headers beyond Node's 16 KB limit never reach the apps (Node answers 431 itself).
  for (const [k, v] of Object.entries(headers)) headers[k] = v.slice(0, 4000);
  return headers;
}

/** The expected error surface of a path on an app. */
type Surface = 'ory' | 'oauth2-admin' | 'oauth2' | 'html';

function surfaceOf(app: 'public' | 'admin', fullPath: string): Surface {
  // A realm's routes answer in the same shapes as the default realm's (the prefix is stripped at the edge).
  const path = fullPath.replace(/^\/realms\/[^/?#]*(?=[/?#]|$)/, '') || '/';
  if (app === 'admin') return /^\/admin\/(clients|keys|trust|oauth2)(\/|$)/.test(path) ? 'oauth2-admin' : 'ory';
  if (path === '/oauth2/device/verify' || path.startsWith('/oauth2/device/verify/')) return 'html';
  if (/^\/(oauth2|userinfo)(\/|$)/.test(path) || /^\/\.well-known\/(openid-configuration|oauth-authorization-server|jwks\.json)$/.test(path)) return 'oauth2';
  return 'ory';
}

/** Why an error response is not in its surface's shape, or undefined when it is. */
function shapeProblem(surface: Surface, status: number, contentType: string, text: string, requestId: string | null): string | undefined {
  if (!requestId) return 'no X-Request-Id';
  if (surface === 'html') return undefined;
  if (!/^application\/json/.test(contentType)) return `content-type ${contentType}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  if (surface === 'ory') {
    // Self-service submissions answer 400 with the flow, its messages in `ui` (Kratos).
    if (status === 400 && typeof body.id === 'string' && typeof body.ui === 'object' && body.ui !== null) return undefined;
    const inner = body.error as Record<string, unknown> | undefined;
    return inner && typeof inner === 'object' && inner.code === status && typeof inner.message === 'string' ? undefined : 'not the Ory error envelope';
  }
  if (typeof body.error !== 'string' || (body.error_description !== undefined && typeof body.error_description !== 'string')) return 'not the OAuth2 error shape';
  if (surface === 'oauth2-admin' && body.status_code !== status) return 'no matching status_code';
  return undefined;
}

/** One query returning the row count of every table (but migrations). */
async function countQuery(server: RunningServer): Promise<() => Promise<string>> {
  const ds = server.registry.persistence.dataSource;
  const mysql = ds.options.type === 'mysql';
  const tables = ((await ds.query(mysql ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()' : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[])
    .map((t) => t.name)
    .filter((t) => t !== 'migrations')
    .sort();
  const q = (t: string): string => (mysql ? `\`${t}\`` : `"${t}"`);
  const sql = `SELECT ${tables.map((t, i) => `(SELECT COUNT(*) FROM ${q(t)}) AS c${i}`).join(', ')}`;
  return async () => {
    const row = ((await ds.query(sql)) as Record<string, unknown>[])[0];
    return tables.map((t, i) => `${t}=${String(row[`c${i}`])}`).join(' ');
  };
}

async function fixtures(server: RunningServer): Promise<Fixtures> {
  const json = async (url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> => {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const parsed = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`fixture ${method} ${url}: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed;
  };
  const pub = server.publicUrl;
  const adm = server.adminUrl;
  const identity = await json(`${adm}/admin/identities`, 'POST', { traits: { email: 'fuzz-fixture@example.com' }, credentials: { password: { config: { password: 'a fuzz fixture passphrase' } } } });
  const reg = await json(`${pub}/self-service/registration/api`, 'GET');
  const registered = await json(`${pub}/self-service/registration?flow=${String(reg.id)}`, 'POST', { method: 'password', password: 'another fuzz passphrase', traits: { email: 'fuzz-user@example.com' } });
  const session = registered.session as { id: string };
  const sessionToken = String(registered.session_token);
  const client = await json(`${adm}/admin/clients`, 'POST', { client_name: 'fuzz', redirect_uris: ['http://127.0.0.1/cb'], grant_types: ['authorization_code', 'refresh_token', 'client_credentials'] });
  const key = await json(`${adm}/admin/keys/fuzz-set`, 'POST', { alg: 'ES256', use: 'sig' });
  const flows: string[] = [];
  for (const kind of ['login', 'registration', 'recovery', 'verification']) flows.push(String((await json(`${pub}/self-service/${kind}/api`, 'GET')).id));
  flows.push(String((await json(`${pub}/self-service/settings/api`, 'GET', undefined, { 'x-session-token': sessionToken })).id));
  return { identity: String(identity.id), session: session.id, sessionToken, client: String(client.client_id), set: 'fuzz-set', kid: String((key.keys as { kid: string }[])[0].kid), flows };
}

describe.each(databaseFactories())('fuzzing every route ($label)', (factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({
      DSN: db.dsn,
      SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
      SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      OAUTH2_TOKEN_EXCHANGE_ENABLED: 'true',
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it(`answers ${REQUESTS} random requests without 5xx, with JSON errors, and writes nothing on 4xx`, async () => {
    const seed = (factory.label === 'mysql' ? SEED ^ 0x9e3779b9 : SEED) >>> 0;
    // eslint-disable-next-line no-console
    console.log(`fuzz ${factory.label}: FUZZ_SEED=${SEED} (stream seed ${seed}), ${REQUESTS} requests`);
    const d = new Dice(mulberry32(seed));
    const f = await fixtures(server);
    const counts = await countQuery(server);
    let before = await counts();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const app = d.chance(0.55) ? 'public' : 'admin';
      const [methods, template] = d.pick(app === 'public' ? PUBLIC_ROUTES : ADMIN_ROUTES).split(' ');
      const path = fillPath(d, template, f);
      const method = d.chance(0.75) ? d.pick(methods.split(',')) : d.pick(METHODS);
      const { contentType, body } = method === 'GET' || method === 'HEAD' ? {} : randomBody(d);
      const headers = { ...randomHeaders(d, f), ...(contentType ? { 'content-type': contentType } : {}) };
      const url = `${app === 'public' ? server.publicUrl : server.adminUrl}${path}${randomQuery(d, f)}`;
      const what = `#${i} ${method} ${app}${url.slice(url.indexOf('/', 8))} ${JSON.stringify(headers)} ${String(body ?? '').slice(0, 200)}`;
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body, redirect: 'manual' });
      } catch (e) {
        failures.push(`${what} → request failed: ${(e as Error).message}`);
        continue;
      }
      const text = method === 'HEAD' ? '' : await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const surface = surfaceOf(app, new URL(url).pathname);
      if (res.status >= 500) failures.push(`${what} → ${res.status} ${text.slice(0, 300)}`);
      else if (res.status >= 400 && method !== 'HEAD') {
        const problem = shapeProblem(surface, res.status, res.headers.get('content-type') ?? '', text, res.headers.get('x-request-id'));
        if (problem) failures.push(`${what} → ${res.status} ${problem}: ${text.slice(0, 300)}`);
      }
      const after = await counts();
      // A request that failed must not have written (the device pages save the session their form needs).
      if (res.status >= 400 && surface !== 'html' && after !== before) failures.push(`${what} → ${res.status} changed row counts: ${before} ⇒ ${after}`);
      before = after;
    }
    // eslint-disable-next-line no-console
    console.log(`fuzz ${factory.label}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    expect(failures.slice(0, 30)).toEqual([]);
    expect(failures).toHaveLength(0);
  });
});
