import type { RealmConfigProvider, TokenizerTemplateConfig } from '../config';
import { badRequest } from '../http/errors';
import { type ClockProvider, type Ctx, newId } from '../x';
import type { Session } from './session';

/** Where the tokenizer's signing key comes from: a managed JWK set, or a Kratos-style private JWKS URL. */
export type TokenizerKeySource = { readonly keySet: string } | { readonly jwksUrl: string };

/**
 * The signing port of the tokenizer. The session chain may not import `keys` (architecture B2), so the
 * registry hands in an implementation backed by the key manager (`JwtSigner` in libs/keys).
 */
export interface SessionJwtSigner {
  /** Signs the claims as a compact JWT (header `alg`, `kid`, `typ: JWT`) with the source's current key. */
  sign(ctx: Ctx, claims: Record<string, unknown>, source: TokenizerKeySource): Promise<string>;
}

export interface SessionJwtSignerProvider {
  readonly sessionJwtSigner: SessionJwtSigner;
}

export type SessionTokenizerDeps = RealmConfigProvider & ClockProvider & SessionJwtSignerProvider;

/**
 * Kratos's session-to-JWT (`GET /sessions/whoami?tokenize_as=<template>`). A template
 * (`session.whoami.tokenizer.templates.<name>`) names the signing key, the TTL, the subject and extra
 * claims taken by path from the session JSON (Kratos uses a jsonnet mapper; we map declaratively).
 *
 * Invariants: `iss` is the public base URL, `sid` the session id, `jti` fresh, `iat = nbf = now` and
 * `exp = now + ttl` by the injected clock; mapped claims can never replace these (config refuses it).
 */
export class SessionTokenizer {
  constructor(private readonly deps: SessionTokenizerDeps) {}

  /**
   * The whoami body, plus `tokenized` when a template is asked for (an empty name asks for none).
   * @throws OryError 400 for an unknown template or a subject path that resolves to no string
   */
  async withTokenized(ctx: Ctx, body: Record<string, unknown>, session: Session, template: string | undefined): Promise<Record<string, unknown>> {
    if (template === undefined || template === '') return body;
    return { ...body, tokenized: await this.tokenize(ctx, template, session, body) };
  }

  /**
   * Mints the JWT of `template` for the session; `body` is the session's wire JSON (the whoami shape)
   * that claim paths are resolved against.
   * @throws OryError 400 for an unknown template or a subject path that resolves to no string
   */
  async tokenize(ctx: Ctx, template: string, session: Session, body: Record<string, unknown>): Promise<string> {
    const tpl = this.template(template);
    const now = Math.floor(this.deps.clock.now().getTime() / 1000);
    const claims: Record<string, unknown> = {};
    for (const [claim, path] of Object.entries(tpl.claims)) {
      const value = resolveSessionPath(body, path);
      if (value !== undefined && value !== null) claims[claim] = value;
    }
    Object.assign(claims, {
      jti: newId(),
      iss: this.deps.config.serve.public.base_url,
      sub: this.subject(tpl, session, body),
      sid: session.id,
      iat: now,
      nbf: now,
      exp: now + Math.floor(tpl.ttl / 1000),
      ...(tpl.audience.length > 0 ? { aud: tpl.audience.length === 1 ? tpl.audience[0] : [...tpl.audience] } : {}),
    });
    return this.deps.sessionJwtSigner.sign(ctx, claims, tpl.key_set !== undefined ? { keySet: tpl.key_set } : { jwksUrl: tpl.jwks_url! });
  }

  private template(name: string): TokenizerTemplateConfig {
    const templates = this.deps.config.session.whoami.tokenizer.templates;
    if (!Object.hasOwn(templates, name)) throw badRequest(`Unable to find tokenizer template "${name}".`);
    return templates[name];
  }

  private subject(tpl: TokenizerTemplateConfig, session: Session, body: Record<string, unknown>): string {
    if (tpl.subject_source === 'id') return session.identityId;
    const value = resolveSessionPath(body, tpl.subject_source);
    if (typeof value !== 'string' || value === '') {
      throw badRequest(`The session has no value at ${tpl.subject_source}, which the tokenizer template uses as the subject.`);
    }
    return value;
  }
}

/**
 * The value at a dotted path (`identity.traits.email`, `authentication_methods.0.method`) in a JSON
 * value, or `undefined` when any step is missing. Own properties only.
 */
export function resolveSessionPath(json: unknown, path: string): unknown {
  let here: unknown = json;
  for (const step of path.split('.')) {
    if (Array.isArray(here) && /^\d+$/.test(step)) here = here[Number(step)];
    else if (typeof here === 'object' && here !== null && !Array.isArray(here) && Object.hasOwn(here, step)) here = (here as Record<string, unknown>)[step];
    else return undefined;
  }
  return here;
}

export interface SessionTokenizerProvider {
  readonly sessionTokenizer: SessionTokenizer;
}
