import type { Clock, Ctx } from '../../x';
import { engineCtx } from './engine-ctx';
import { revokeGrant } from './grant-token-models';
import type { OidcPayloadStore } from './oidc-payload-store';

/** The adapter contract oidc-provider calls (one instance per model name). */
export interface OidcAdapterInterface {
  upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export interface OidcAdapterDeps {
  readonly store: OidcPayloadStore;
  readonly clock: Clock;
  /** Client metadata for the engine, read from the client store (clients are never written here). */
  readonly findClient: (ctx: Ctx, id: string) => Promise<Record<string, unknown> | undefined>;
  /** The ctx of the engine request being served (oidc-provider calls adapters without one); a system ctx by default. */
  readonly currentCtx?: () => Ctx;
  /** Seconds a rotated refresh token stays redeemable (`oauth2.refresh_token_rotation.grace_period`). */
  readonly refreshGraceSeconds: number;
  /** The error for a code or token redeemed twice at once (the engine's `invalid_grant`). */
  readonly replayError: () => Error;
}

/**
 * Persists every oidc-provider model through {@link OidcPayloadStore}, so nothing lives only in one
 * process's memory. Invariants: the `Client` model is read-only here (clients belong to the admin API
 * and DCR, both of which go through `ClientManager`); expired rows are never returned; a consumed row
 * comes back with `consumed`, which oidc-provider uses for code and refresh-token reuse detection —
 * except a refresh token within the rotation grace period.
 */
export class OidcAdapter implements OidcAdapterInterface {
  constructor(
    private readonly model: string,
    private readonly deps: OidcAdapterDeps,
  ) {}

  async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
    const ctx = this.ctx();
    if (this.model === 'Client') throw new Error('OAuth2 clients are managed through the admin API or dynamic client registration');
    const now = this.deps.clock.now().getTime();
    await this.deps.store.upsert(ctx, {
      model: this.model,
      id,
      payload,
      grantId: str(payload.grantId),
      uid: str(payload.uid),
      userCode: str(payload.userCode),
      accountId: str(payload.accountId),
      clientId: str(payload.clientId) ?? str(payload.client_id),
      ...(expiresIn ? { expiresAt: new Date(now + expiresIn * 1000) } : {}),
    });
  }

  async find(id: string): Promise<Record<string, unknown> | undefined> {
    const ctx = this.ctx();
    if (this.model === 'Client') return this.deps.findClient(ctx, id);
    const record = await this.deps.store.find(ctx, this.model, id, this.deps.clock.now());
    if (!record) return undefined;
    if (!record.consumedAt) return record.payload;
    if (this.inGracePeriod(record.consumedAt, this.deps.clock.now())) return record.payload;
    return { ...record.payload, consumed: Math.floor(record.consumedAt.getTime() / 1000) };
  }

  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    const ctx = this.ctx();
    return (await this.deps.store.findByUid(ctx, this.model, uid, this.deps.clock.now()))?.payload;
  }

  async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    const ctx = this.ctx();
    const record = await this.deps.store.findByUserCode(ctx, this.model, userCode, this.deps.clock.now());
    if (!record) return undefined;
    return record.consumedAt ? { ...record.payload, consumed: Math.floor(record.consumedAt.getTime() / 1000) } : record.payload;
  }

  /**
   * Consumes atomically. The engine checked the code or token unconsumed before; if another request
   * consumed it in between, this redemption is a replay: every token of its grant is revoked and the
   * engine answers `invalid_grant` — except a refresh token redeemed again within the rotation grace period.
   */
  async consume(id: string): Promise<void> {
    const ctx = this.ctx();
    const now = this.deps.clock.now();
    if (await this.deps.store.consume(ctx, this.model, id, now)) return;
    const record = await this.deps.store.find(ctx, this.model, id, now);
    if (record?.consumedAt && this.inGracePeriod(record.consumedAt, now)) return;
    if (record?.grantId) await revokeGrant(ctx, this.deps.store, record.grantId);
    throw this.deps.replayError();
  }

  /** A rotated refresh token stays redeemable for `refreshGraceSeconds` after its consumption. */
  private ctx(): Ctx {
    return this.deps.currentCtx?.() ?? engineCtx(undefined);
  }

  private inGracePeriod(consumedAt: Date, now: Date): boolean {
    return this.model === 'RefreshToken' && this.deps.refreshGraceSeconds > 0 && consumedAt.getTime() + this.deps.refreshGraceSeconds * 1000 > now.getTime();
  }

  async destroy(id: string): Promise<void> {
    const ctx = this.ctx();
    if (this.model === 'Client') throw new Error('OAuth2 clients are managed through the admin API or dynamic client registration');
    await this.deps.store.destroy(ctx, this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const ctx = this.ctx();
    await this.deps.store.revokeByGrantId(ctx, this.model, grantId);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
