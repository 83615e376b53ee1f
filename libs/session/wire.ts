import type { RealmConfig } from '../config';
import { type Identity, toWire as identityToWire } from '../identity';
import type { Session } from './session';

/** The Session JSON of Kratos (§7a): every key present; the identity in its public (or admin) view. */
export function toWire(session: Session, identity: Identity | undefined, config: Pick<RealmConfig, 'serve'>, view: 'public' | 'admin' = 'public'): Record<string, unknown> {
  return {
    id: session.id,
    active: session.active,
    expires_at: session.expiresAt.toISOString(),
    authenticated_at: session.authenticatedAt.toISOString(),
    authenticator_assurance_level: session.aal,
    authentication_methods: session.authenticationMethods.map((m) => ({ method: m.method, aal: m.aal, completed_at: m.completedAt.toISOString() })),
    issued_at: session.issuedAt.toISOString(),
    identity: identity ? identityToWire(identity, view === 'admin' ? 'admin_list' : 'public', config) : null,
    devices: session.devices.map((d) => ({ id: d.id, ip_address: d.ipAddress, user_agent: d.userAgent, location: d.location })),
  };
}
