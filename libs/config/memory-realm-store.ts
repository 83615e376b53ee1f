import type { Clock, Ctx, KeysetPage, KeysetWindow } from '../x';
import { keysetPageOf, systemClock } from '../x';
import { RealmExistsError, type RealmStore, type StoredRealm } from './realm-config';

/** `RealmStore` in memory (tests, and processes that keep no database). Same semantics as the table. */
export class MemoryRealmStore implements RealmStore {
  private readonly realms = new Map<string, StoredRealm>();

  constructor(private readonly clock: Clock = systemClock) {}

  async get(_ctx: Ctx, name: string): Promise<StoredRealm | undefined> {
    return this.realms.get(name);
  }

  async list(_ctx: Ctx): Promise<StoredRealm[]> {
    return [...this.realms.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async listPage(_ctx: Ctx, window: KeysetWindow): Promise<KeysetPage<StoredRealm>> {
    return keysetPageOf([...this.realms.values()], (r) => [r.name], 'ASC', window);
  }

  async create(_ctx: Ctx, name: string, config: Readonly<Record<string, unknown>>): Promise<StoredRealm> {
    if (this.realms.has(name)) throw new RealmExistsError(name);
    const now = this.clock.now();
    const realm: StoredRealm = { name, config: structuredClone(config), revision: 1, created_at: now, updated_at: now };
    this.realms.set(name, realm);
    return realm;
  }

  async update(_ctx: Ctx, name: string, config: Readonly<Record<string, unknown>>): Promise<StoredRealm | undefined> {
    const current = this.realms.get(name);
    if (!current) return undefined;
    const next: StoredRealm = { ...current, config: structuredClone(config), revision: current.revision + 1, updated_at: this.clock.now() };
    this.realms.set(name, next);
    return next;
  }

  async delete(_ctx: Ctx, name: string): Promise<boolean> {
    return this.realms.delete(name);
  }
}
