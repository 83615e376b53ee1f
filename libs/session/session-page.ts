import type { KeysetPage } from '../x';
import type { Identity } from '../identity';
import type { Session } from './session';

/** A session with the identity it belongs to (`undefined` only if the identity vanished meanwhile). */
export interface SessionWithIdentity {
  readonly session: Session;
  readonly identity: Identity | undefined;
}

/** One keyset page of sessions with their identities; `next` is the key to continue after when more follow. */
export type SessionPage = KeysetPage<SessionWithIdentity>;
