import type { Ctx } from '../../x';

/** What a one-time secret proves. */
export type TokenKind = 'recovery_code' | 'recovery_link' | 'verification_code' | 'verification_link' | 'login_code' | 'registration_code';

/**
 * A one-time secret (8-digit code or 32-character link token) bound to one flow and one address.
 * Only an HMAC of the secret is stored; `usedAt` is set once, atomically.
 */
export interface SelfServiceToken {
  readonly id: string;
  readonly kind: TokenKind;
  readonly flowId: string;
  readonly identityId: string;
  /** The address (lower-cased) the secret was sent to. */
  readonly address: string;
  readonly secretHash: string;
  readonly expiresAt: Date;
  readonly usedAt?: Date;
  readonly createdAt: Date;
}

/** Persistence port for one-time secrets. */
export interface TokenStore {
  create(ctx: Ctx, token: SelfServiceToken): Promise<void>;
  /** Unused tokens of a flow of one kind. */
  findUnused(ctx: Ctx, kind: TokenKind, flowId: string): Promise<SelfServiceToken[]>;
  /** Marks a token used; false when someone used it first (single use under concurrency). */
  markUsed(ctx: Ctx, id: string, at: Date): Promise<boolean>;
}

export interface TokenStoreProvider {
  readonly tokenStore: TokenStore;
}
