import type { Ctx } from './ctx';

/**
 * State partitioned by realm, for in-memory stores: `of(ctx)` is `ctx.realm`'s own instance (created on first
 * use), so a row written in one realm is never seen, changed or deleted through another, as with the `nid`
 * column of the database stores.
 */
export class ByRealm<T> {
  private readonly realms = new Map<string, T>();

  constructor(private readonly create: () => T) {}

  of(ctx: Pick<Ctx, 'realm'>): T {
    let state = this.realms.get(ctx.realm);
    if (state === undefined) {
      state = this.create();
      this.realms.set(ctx.realm, state);
    }
    return state;
  }

  /** Every realm's state (for process-wide work and `clear`). */
  all(): T[] {
    return [...this.realms.values()];
  }
}
