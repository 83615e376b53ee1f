import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor, Ctx } from '../x';
import { PROJECT_API_KEY_PREFIX, hashProjectApiKey } from './project-api-key';
import type { ProjectApiKeyStore } from './project-api-key-store';

/** Who a request to the admin port authenticated as. */
export type AdminPrincipal =
  /** An operator key of `admin.api_keys`: reaches every admin route. `id` is `operator:<n>` (1-based position). */
  | { readonly kind: 'operator'; readonly id: string }
  /** A project API key: reaches its project's realm admin API only. */
  | { readonly kind: 'project_api_key'; readonly id: string; readonly realm: string }
  /** An operator signed in to the default realm (a session): reaches `/projects…` only, for its projects. `id` is the identity id. */
  | { readonly kind: 'operator_session'; readonly id: string };

/** The request ctx's actor for a principal (audit reads `ctx.actor.id`; never a key value). */
export function actorOf(principal: AdminPrincipal): Actor {
  if (principal.kind === 'operator_session') return { kind: 'identity', id: principal.id };
  return { kind: 'admin', id: principal.kind === 'operator' ? principal.id : `project_api_key:${principal.id}` };
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The operator keys of `admin.api_keys`, held as SHA-256 digests. Invariant: `match` hashes the presented
 * token once and compares its digest with every key's digest with `equal` (`crypto.timingSafeEqual`), always
 * all of them and without early exit, so neither the time nor the order of keys reveals which key (or how
 * much of one) matched.
 */
export class OperatorKeys {
  private readonly digests: readonly Buffer[];

  constructor(
    keys: readonly string[],
    private readonly equal: (a: Buffer, b: Buffer) => boolean = timingSafeEqual,
  ) {
    this.digests = keys.map(sha256);
  }

  /** True when at least one operator key is configured: the admin plane then requires a key. */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The position (0-based) of the key `token` is, or -1. */
  match(token: string): number {
    const presented = sha256(token);
    let found = -1;
    for (let i = 0; i < this.digests.length; i++) {
      const same = this.equal(presented, this.digests[i]);
      // Branch-free on the secret: `found` keeps the first match, every key is compared.
      found = found === -1 && same ? i : found;
    }
    return found;
  }
}

/** The bearer token of an `Authorization` header (`Bearer <token>`, scheme case-insensitive), or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
  return match ? match[1] : undefined;
}

/**
 * The default realm's sessions as the admin plane sees them (implemented in `libs/registry` over the
 * default realm's `SessionManager.whoami`: active, unexpired, identity active, AAL as whoami requires).
 */
export interface OperatorSessions {
  /** The identity id of the valid session `token` of the default realm, or `undefined`. @throws OryError 403 when whoami asks for a second factor */
  identityOf(ctx: Ctx, token: string): Promise<string | undefined>;
}

export interface AdminAuthenticatorDeps {
  readonly operatorKeys: OperatorKeys;
  readonly projectApiKeyStore: ProjectApiKeyStore;
  readonly operatorSessions: OperatorSessions;
}

/**
 * Tells who presented a bearer token on the admin port: an operator key (compared in constant time,
 * see {@link OperatorKeys}) or a project API key (looked up by its SHA-256 in the database on every
 * request, one indexed read: a deleted key fails on every process at once). Keys are never logged.
 */
export class AdminAuthenticator {
  constructor(private readonly deps: AdminAuthenticatorDeps) {}

  /** True when `admin.api_keys` is set: every admin route but health and version needs a key. */
  get required(): boolean {
    return this.deps.operatorKeys.enabled;
  }

  /** The principal of `token`, or undefined for a wrong (or deleted) key. */
  async authenticate(ctx: Ctx, token: string): Promise<AdminPrincipal | undefined> {
    const operator = this.deps.operatorKeys.match(token);
    if (operator >= 0) return { kind: 'operator', id: `operator:${operator + 1}` };
    if (!token.startsWith(PROJECT_API_KEY_PREFIX)) return undefined;
    const owner = await this.deps.projectApiKeyStore.findByHash(ctx, hashProjectApiKey(token));
    return owner ? { kind: 'project_api_key', id: owner.id, realm: owner.realm } : undefined;
  }

  /** The operator whose default-realm session `token` is (cookie, `X-Session-Token` or a bearer that is no key), or undefined. */
  async authenticateSession(ctx: Ctx, token: string): Promise<AdminPrincipal | undefined> {
    const identity = await this.deps.operatorSessions.identityOf(ctx, token);
    return identity === undefined ? undefined : { kind: 'operator_session', id: identity };
  }
}
