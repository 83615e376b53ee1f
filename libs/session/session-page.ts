import type { Identity } from '../identity';
import type { Session } from './session';

/** A session with the identity it belongs to (`undefined` only if the identity vanished meanwhile). */
export interface SessionWithIdentity {
  readonly session: Session;
  readonly identity: Identity | undefined;
}

/** One page of sessions with the total across all pages (for `X-Total-Count` and `Link`). */
export interface SessionPage {
  readonly items: readonly SessionWithIdentity[];
  readonly total: number;
}
