import type { SchemaObject } from 'ajv';

/** `selfservice.methods.webauthn` (Kratos v0.11 keys; `passwordless: true` is what Kratos later calls the `passkey` method). */
export interface WebAuthnMethodConfig {
  readonly enabled: boolean;
  readonly config: {
    /** Keys registered from now on are passkeys (discoverable, user verification required) for sign-in without a password. */
    readonly passwordless: boolean;
    readonly rp: {
      readonly id?: string;
      readonly display_name?: string;
      /** Deprecated in Kratos in favour of `origins`; still honoured. */
      readonly origin?: string;
      readonly origins?: readonly string[];
      /** Accepted for compatibility; browsers no longer show it. */
      readonly icon?: string;
    };
  };
}

/** The schema fragment for `selfservice.methods.webauthn` (defaults and descriptions live here). */
export const webauthnMethodSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: false, description: 'WebAuthn security keys (second factor) and, with config.passwordless, passkeys.' },
    config: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        passwordless: {
          type: 'boolean',
          default: false,
          description: 'Register passkeys (discoverable credentials, user verification required) for sign-in and sign-up without a password, instead of second-factor keys.',
        },
        rp: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            id: { type: 'string', minLength: 1, pattern: '^[^:/\\s]+$', description: 'Relying party id: a domain (no scheme, no port); default: the public base URL host name.' },
            display_name: { type: 'string', minLength: 1, description: 'Name authenticators show; default: the relying party id.' },
            origin: { type: 'string', format: 'uri', description: 'Deprecated: one origin ceremonies may run on (use origins).' },
            origins: { type: 'array', items: { type: 'string', format: 'uri' }, description: 'Origins (scheme://host[:port]) ceremonies may run on; default: [origin] or [<public scheme>://<rp id>].' },
            icon: { type: 'string', description: 'Ignored (kept for Kratos config compatibility).' },
          },
        },
      },
    },
  },
};

/** The effective relying party: config values with Kratos's fallbacks. */
export interface WebAuthnRelyingParty {
  readonly id: string;
  readonly displayName: string;
  readonly origins: readonly string[];
}

/**
 * Resolves `selfservice.methods.webauthn.config.rp` against the public base URL, as Kratos's
 * `WebAuthnConfig`: origins default to `[origin]`, else `[<public scheme>://<rp id>]`. Origins are
 * compared as `scheme://host[:port]` (paths are dropped).
 */
export function webAuthnRelyingParty(config: {
  readonly serve: { readonly public: { readonly base_url: string } };
  readonly selfservice: { readonly methods: { readonly webauthn: WebAuthnMethodConfig } };
}): WebAuthnRelyingParty {
  const base = new URL(config.serve.public.base_url);
  const rp = config.selfservice.methods.webauthn.config.rp;
  const id = rp.id ?? base.hostname;
  const origins = rp.origins && rp.origins.length > 0 ? rp.origins : [rp.origin ?? `${base.protocol}//${id}`];
  return { id, displayName: rp.display_name ?? id, origins: origins.map((o) => new URL(o).origin) };
}
