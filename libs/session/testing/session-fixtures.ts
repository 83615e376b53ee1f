import { type Config, type Secrets, loadConfig } from '../../config';
import type { Identity, IdentityPool } from '../../identity';
import { makeIdentity } from '../../identity/testing/identity-pool.contract';
import { FixedClock, type Ctx, type KeysetPage, type Transaction, newId, withTx } from '../../x';
import { AdminSessionManager } from '../admin-session-manager';
import { LogoutManager } from '../logout-manager';
import { MemorySessionStore } from '../memory-session-store';
import { MySessionsManager } from '../my-sessions-manager';
import { type DeviceInfo, SessionManager } from '../session-manager';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

/** An identity pool over a map, enough for the session services. */
export class MapIdentityPool implements IdentityPool {
  readonly identities = new Map<string, Identity>();
  add(identity: Identity): Identity {
    this.identities.set(identity.id, identity);
    return identity;
  }
  async get(ctx: Ctx, id: string): Promise<Identity | undefined> {
    return this.identities.get(id);
  }
  async getMany(_ctx: Ctx, ids: readonly string[]): Promise<Identity[]> {
    return [...new Set(ids)].flatMap((id) => this.identities.get(id) ?? []);
  }
  async list(_ctx: Ctx): Promise<KeysetPage<Identity>> {
    return { items: [...this.identities.values()] };
  }
  async findByCredentialsIdentifier(_ctx: Ctx): Promise<Identity | undefined> {
    return undefined;
  }
  async findByAddress(_ctx: Ctx): Promise<Identity | undefined> {
    return undefined;
  }
}

export const TEST_DEVICE: DeviceInfo = { ipAddress: '203.0.113.7', userAgent: 'jest', location: '' };

/**
 * The session services wired as the registry does, over memory stores, a fixed clock and a config
 * built from the defaults plus `overrides`; for unit tests.
 */
export function sessionFixtures(overrides: Record<string, unknown> = {}) {
  const config: Config = loadConfig({ env: {}, overrides: { serve: { public: { base_url: 'https://auth.example.com/' } }, ...overrides } });
  const secrets: Secrets = { default: ['d'.repeat(32)], cookie: ['c'.repeat(32)], cipher: ['e'.repeat(32)], system: ['s'.repeat(32)] };
  const deps = {
    config,
    secrets,
    clock: new FixedClock(),
    sessionStore: new MemorySessionStore(),
    identityPool: new MapIdentityPool(),
    transactions: { withTransaction: <T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>): Promise<T> => work(withTx(ctx, {} as Transaction)) },
  };
  const sessionManager = new SessionManager(deps);
  const withManager = { ...deps, sessionManager };
  return {
    ...withManager,
    mySessionsManager: new MySessionsManager(withManager),
    adminSessionManager: new AdminSessionManager(withManager),
    logoutManager: new LogoutManager(withManager),
    /** Adds an active identity (with a password credential) to the pool. */
    identity: (overridesOfIdentity: Partial<Identity> = {}): Identity =>
      deps.identityPool.add(makeIdentity(`u-${newId().slice(0, 8)}@example.com`, overridesOfIdentity)),
    /** Issues an aal1 password session. */
    login: (identity: Identity) => sessionManager.issue(ctx, identity, 'password', 'aal1', TEST_DEVICE),
  };
}
