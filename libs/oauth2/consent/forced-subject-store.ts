import { ByRealm, type Ctx } from '../../x';

/**
 * Hydra's `force_subject_identifier` mappings: the `sub` a login app chose for a subject at one
 * pairwise client. Invariant: at most one mapping per (subject, client); a later accept replaces it.
 */
export interface ForcedSubjectStore {
  put(ctx: Ctx, subject: string, clientId: string, forced: string): Promise<void>;
  get(ctx: Ctx, subject: string, clientId: string): Promise<string | undefined>;
}

export interface ForcedSubjectStoreProvider {
  readonly forcedSubjectStore: ForcedSubjectStore;
}

/** In-memory `ForcedSubjectStore` for unit tests. */
export class MemoryForcedSubjectStore implements ForcedSubjectStore {
  private readonly rowsByRealm = new ByRealm<Map<string, string>>(() => new Map<string, string>());
  private rows(ctx: Ctx): Map<string, string> {
    return this.rowsByRealm.of(ctx);
  }

  async put(ctx: Ctx, subject: string, clientId: string, forced: string): Promise<void> {
    this.rows(ctx).set(`${subject}\u0000${clientId}`, forced);
  }

  async get(ctx: Ctx, subject: string, clientId: string): Promise<string | undefined> {
    return this.rows(ctx).get(`${subject}\u0000${clientId}`);
  }
}
