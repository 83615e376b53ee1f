import { OryError } from '../http';
import { type Identity, type IdentityPool, normalizeIdentifier } from '../identity';
import type { CloudAccount, OperatorAccounts, OperatorSessions } from '../project';
import type { SessionManager } from '../session';
import { DEFAULT_REALM, inRealm } from '../x';

/** The identifier types an operator may be found by, in order. */
const LOGIN_TYPES = ['password', 'code', 'webauthn'] as const;

/**
 * The operator accounts over the default realm's identity pool (every call runs in the default realm,
 * whatever realm the request names). An account is found by email through a login identifier first, then
 * a verifiable email address; inactive identities are found too (a member stays one while disabled, but its
 * sessions do not resolve).
 */
export function operatorAccountsOf(identityPool: () => IdentityPool): OperatorAccounts {
  return {
    async get(ctx, id) {
      const identity = await identityPool().get(inRealm(ctx, DEFAULT_REALM), id);
      return identity ? cloudAccountOf(identity) : undefined;
    },
    async findByEmail(ctx, email) {
      const scoped = inRealm(ctx, DEFAULT_REALM);
      const value = normalizeIdentifier(email);
      for (const type of LOGIN_TYPES) {
        const identity = await identityPool().findByCredentialsIdentifier(scoped, type, value);
        if (identity) return cloudAccountOf(identity);
      }
      const identity = await identityPool().findByAddress(scoped, 'verifiable', 'email', value);
      return identity ? cloudAccountOf(identity) : undefined;
    },
  };
}

/**
 * The default realm's sessions for the admin plane: `SessionManager.whoami` in the default realm (the same
 * rules as `GET /sessions/whoami`: active, unexpired, identity active, `session.whoami.required_aal`). A
 * missing or invalid session is `undefined`; whoami's 403 (second factor required) is thrown.
 */
export function operatorSessionsOf(sessionManager: () => SessionManager): OperatorSessions {
  return {
    async identityOf(ctx, token) {
      try {
        return (await sessionManager().whoami(inRealm(ctx, DEFAULT_REALM), token)).identity.id;
      } catch (error) {
        if (error instanceof OryError && error.code === 401) return undefined;
        throw error;
      }
    },
  };
}

/** `CloudAccount` of an identity: the `email` trait (or first email verifiable address), the `name` trait (or first + last). */
export function cloudAccountOf(identity: Identity): CloudAccount {
  const traits = identity.traits;
  const email = typeof traits.email === 'string' ? traits.email : (identity.verifiableAddresses.find((a) => a.via === 'email')?.value ?? '');
  return { id: identity.id, email, name: nameOf(traits) };
}

function nameOf(traits: Readonly<Record<string, unknown>>): string {
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  if (typeof traits.name === 'string') return traits.name.trim();
  const name = traits.name && typeof traits.name === 'object' ? (traits.name as Record<string, unknown>) : traits;
  const first = text(name.first) || text(name.first_name) || text(name.given_name);
  const last = text(name.last) || text(name.last_name) || text(name.family_name);
  return [first, last].filter((part) => part !== '').join(' ');
}
