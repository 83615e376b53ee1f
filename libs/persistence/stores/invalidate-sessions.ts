import type { SessionChange, SessionInvalidation } from '../../session';
import type { Ctx } from '../../x';
import type { Persistence } from '../persistence';

/**
 * Tells `changes` (the whoami cache) that a write to sessions or identities has happened, right after the
 * statement: at once, and — inside a transaction — again once the transaction has ended, so a read made
 * by another request while the write was not yet committed (it saw the old row) cannot stay cached.
 */
export function invalidateSessions(persistence: Persistence, changes: SessionInvalidation | undefined, ctx: Ctx, change: SessionChange): void {
  if (!changes) return;
  changes.invalidate(ctx.realm, change);
  if (ctx.tx) persistence.afterTransaction(ctx.tx, () => changes.invalidate(ctx.realm, change));
}
