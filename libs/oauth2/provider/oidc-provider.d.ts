/**
 * The parts of oidc-provider 9 that Tessera uses, typed narrowly (the package ships no types and
 * @types/oidc-provider lags behind and omits internals). Only `libs/oauth2/provider` imports it.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AnyRecord = Record<string, unknown>;

  export interface OIDCContext {
    readonly route?: string;
    params?: Record<string, unknown>;
    readonly body?: Record<string, unknown>;
    readonly client?: ClientInstance;
    readonly session?: SessionInstance;
    readonly result?: AnyRecord & { login?: AnyRecord; consent?: { grantId?: string } };
    readonly entities: Record<string, unknown> & {
      Interaction?: InteractionInstance;
      Grant?: GrantInstance;
      AuthorizationCode?: TokenInstance;
      RefreshToken?: TokenInstance;
      AccessToken?: TokenInstance;
      DeviceCode?: TokenInstance;
      Client?: ClientInstance;
    };
    readonly prompts: Set<string>;
    readonly account?: { accountId: string };
    readonly grant?: GrantInstance;
    readonly issuer: string;
    urlFor(name: string, opt?: AnyRecord): string;
  }

  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    req: IncomingMessage;
    res: ServerResponse;
    status: number;
    body: unknown;
    type: string;
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string | string[] | undefined>;
    readonly response: { get(field: string): string };
    redirect(url: string): void;
    get(field: string): string;
    set(field: string, value: string): void;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> | void;

  export interface ClientInstance {
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly clientAuthMethod: string;
    readonly redirectUris: string[];
    readonly frontchannelLogoutUri?: string;
    readonly [extra: string]: unknown;
    grantTypeAllowed(type: string): boolean;
    metadata(): AnyRecord;
    backchannelLogout(accountId: string, sid: string): Promise<void>;
  }

  export interface ClientStatic {
    new (metadata: AnyRecord): ClientInstance;
    find(id: string): Promise<ClientInstance | undefined>;
    /** Static validation beyond the schema: fetches and checks `sector_identifier_uri`. */
    validate(metadata: AnyRecord): Promise<void>;
    prototype: ClientInstance & { compareClientSecret(actual: string): Promise<boolean> | boolean };
    Schema: { prototype: { invalidate(message: string, code?: string): void } };
  }

  export interface SessionInstance {
    uid: string;
    jti: string;
    accountId?: string;
    loginTs?: number;
    acr?: string;
    amr?: string[];
    exp?: number;
    authorizations?: Record<string, { sid?: string; grantId?: string; persistsLogout?: boolean }>;
    state?: AnyRecord & { secret?: string; clientId?: string; postLogoutRedirectUri?: string; state?: string };
    sidFor(clientId: string, value?: string): string | undefined;
    persist(): Promise<void>;
  }

  export interface SessionStatic {
    findByUid(uid: string): Promise<SessionInstance | undefined>;
    prototype: { ensureClientContainer(clientId: string): void; sidFor(clientId: string, value?: string): string | undefined; uid: string };
  }

  export interface InteractionInstance {
    readonly uid: string;
    readonly jti: string;
    exp: number;
    prompt: { name: string; reasons: string[]; details: AnyRecord };
    params: Record<string, unknown>;
    session?: { accountId?: string; uid?: string; cookie?: string; acr?: string; amr?: string[] };
    lastSubmission?: AnyRecord;
    result?: AnyRecord;
    returnTo: string;
    grantId?: string;
    save(ttl: number): Promise<string>;
  }

  export interface InteractionStatic {
    find(uid: string): Promise<InteractionInstance | undefined>;
  }

  export interface GrantInstance {
    jti: string;
    accountId: string;
    clientId: string;
    openid?: { scope?: string; claims?: string[] };
    resources?: Record<string, string>;
    addOIDCScope(scope: string): void;
    rejectOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantStatic {
    new (payload: { accountId: string; clientId: string; expiresIn?: number }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
    adapter: { destroy(id: string): Promise<void> };
  }

  export interface TokenInstance {
    readonly jti: string;
    readonly kind: string;
    readonly accountId?: string;
    readonly clientId: string;
    readonly grantId?: string;
    readonly scope?: string;
    readonly scopes: Set<string>;
    readonly exp: number;
    readonly iat: number;
    readonly aud?: string | string[];
    readonly consumed?: number;
    readonly isExpired: boolean;
    readonly extra?: AnyRecord;
    readonly sid?: string;
    readonly sessionUid?: string;
    readonly resourceServer?: unknown;
    readonly client?: ClientInstance;
    readonly [other: string]: unknown;
  }

  export interface TokenStatic {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<TokenInstance | undefined>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClaimsStatic {
    prototype: { result(): Promise<AnyRecord>; available: AnyRecord };
  }

  export class Provider {
    constructor(issuer: string, configuration: AnyRecord);
    proxy: boolean;
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: Middleware): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    readonly Client: ClientStatic;
    readonly Interaction: InteractionStatic;
    readonly Grant: GrantStatic;
    readonly Session: SessionStatic;
    readonly AccessToken: TokenStatic;
    readonly RefreshToken: TokenStatic;
    readonly AuthorizationCode: TokenStatic;
    readonly ClientCredentials: TokenStatic;
    readonly DeviceCode: TokenStatic;
    readonly Claims: ClaimsStatic;
  }

  export default Provider;

  export class OIDCProviderError extends Error {
    constructor(status: number, message: string);
    error: string;
    error_description?: string;
    status: number;
  }

  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidRequest: new (description?: string) => OIDCProviderError;
    UnauthorizedClient: new (description?: string) => OIDCProviderError;
    InvalidGrant: new (description?: string) => OIDCProviderError;
    InvalidTarget: new (description?: string) => OIDCProviderError;
    InvalidScope: new (description?: string, scope?: string) => OIDCProviderError;
    InvalidClientMetadata: new (description?: string) => OIDCProviderError;
    AccessDenied: new (description?: string) => OIDCProviderError;
  };

  export interface CheckInstance {
    readonly reason: string;
  }

  export interface PromptInstance {
    readonly name: string;
    readonly checks: { add(check: CheckInstance, index?: number): void };
  }

  export interface Policy extends Array<PromptInstance> {
    get(name: string): PromptInstance;
  }

  export const interactionPolicy: {
    base(): Policy;
    Check: {
      new (reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>): CheckInstance;
      readonly REQUEST_PROMPT: true;
      readonly NO_NEED_TO_PROMPT: false;
    };
  };
}

/** oidc-provider's per-instance internals (its configuration, after defaults and cloning). */
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  export default function instance(provider: object): { configuration: { scopes: Set<string> } } | undefined;
}
