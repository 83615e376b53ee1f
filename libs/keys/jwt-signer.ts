import { readFileSync } from 'node:fs';
import { internal } from '../http/errors';
import type { ClockProvider, Ctx } from '../x';
import { type JsonWebKey, isPrivateJwk } from './json-web-key';
import { validateJsonWebKeySet } from './jwk-validator';
import { type KeyManagerProvider, type KeysConfigProvider, signJwtWithKey } from './key-manager';

/** Where a JWT's signing key comes from: a managed JWK set, or a Kratos-style private JWKS URL. */
export type JwtKeySource = { readonly keySet: string } | { readonly jwksUrl: string };

export type JwtSignerDeps = KeyManagerProvider & ClockProvider & KeysConfigProvider;

/**
 * Signs JWTs for callers outside the OAuth2 chain (the session tokenizer) with either the newest
 * private key of a managed set (`KeyManager.signJwt`) or the first private key of a `file://` or
 * `base64://` JWKS. Invariant: a JWKS URL is read again at most every `oauth2.keys.refresh_interval`,
 * like managed sets, so replacing the file rotates without a restart.
 */
export class JwtSigner {
  private readonly urls = new Map<string, { key: JsonWebKey; readAt: number }>();

  constructor(private readonly deps: JwtSignerDeps) {}

  /** @throws OryError 500 when a JWKS URL cannot be read or holds no usable private key */
  async sign(ctx: Ctx, claims: Record<string, unknown>, source: JwtKeySource): Promise<string> {
    if ('keySet' in source) return this.deps.keyManager.signJwt(ctx, source.keySet, claims);
    return signJwtWithKey(await this.keyFromUrl(source.jwksUrl), claims);
  }

  private async keyFromUrl(url: string): Promise<JsonWebKey> {
    const now = this.deps.clock.now().getTime();
    const cached = this.urls.get(url);
    if (cached && now - cached.readAt < this.deps.config.oauth2.keys.refresh_interval) return cached.key;
    const key = (await readJwksUrl(url)).find(isPrivateJwk);
    if (!key) throw internal().withDebug(`${url.slice(0, 16)}...: the JWKS holds no private key to sign with`);
    this.urls.set(url, { key, readAt: now });
    return key;
  }
}

/**
 * The keys of a `file://` (absolute; config loading resolves relative paths) or `base64://` JWKS,
 * validated like admin input.
 * @throws OryError 500 when the URL cannot be read or is not a valid JWKS
 */
export async function readJwksUrl(url: string): Promise<JsonWebKey[]> {
  let text: string;
  try {
    text = url.startsWith('base64://') ? Buffer.from(url.slice('base64://'.length), 'base64').toString('utf8') : readFileSync(new URL(url), 'utf8');
  } catch (error) {
    throw internal(error).withDebug('the tokenizer jwks_url cannot be read');
  }
  try {
    return await validateJsonWebKeySet(JSON.parse(text));
  } catch (error) {
    throw internal(error).withDebug('the tokenizer jwks_url is not a valid JSON Web Key Set');
  }
}
