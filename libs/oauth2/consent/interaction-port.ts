import type { Ctx } from '../../x';
/** What a login accept records on the interaction (the engine reads `accountId`, `acr`, `amr`, `ts`, `remember`). */
export interface LoginResult {
  readonly accountId: string;
  readonly remember: boolean;
  /** Seconds; Hydra's `remember_for`. */
  readonly remember_for: number;
  /** Epoch seconds of the authentication (kept from the remembered session on skip). */
  readonly ts: number;
  readonly acr?: string;
  readonly amr?: readonly string[];
  readonly context: unknown;
  /** The login challenge, shown as `login_challenge` on the consent request. */
  readonly login_challenge: string;
}

/** The outcome handed back to the engine: a login, a consent (by grant id), or an OAuth2 error. */
export type InteractionResult =
  | { readonly login: LoginResult }
  | { readonly consent: { readonly grantId: string } }
  | { readonly error: string; readonly error_description?: string };

/**
 * An authorization waiting for the login or consent app — a Hydra challenge. Mirrors the engine's
 * interaction (the challenge is its uid) without exposing the engine's types.
 */
export interface PendingInteraction {
  readonly uid: string;
  /** `login` or `consent`. */
  readonly prompt: string;
  /** Why the engine asked; `hydra_login`/`hydra_consent` alone mean "only because Hydra always asks". */
  readonly reasons: readonly string[];
  /** The authorization request parameters (client_id, scope, audience, prompt, max_age, ...). */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The engine session at the time of the request, when someone was logged in. */
  readonly session?: { readonly uid?: string; readonly accountId?: string; readonly acr?: string; readonly amr?: readonly string[] };
  /** The login result of the previous step (consent interactions only). */
  readonly login?: LoginResult;
  /** Epoch seconds after which the engine forgets the interaction. */
  readonly expiresAt: number;
}

/**
 * The OAuth2 engine seen from the challenge service (implemented in `libs/oauth2/provider`, the only
 * code that touches oidc-provider). Invariant: `finish` is the only way a result reaches the engine,
 * and a consent result always keeps the login result of the same authorization.
 */
export interface InteractionPort {
  find(ctx: Ctx, uid: string): Promise<PendingInteraction | undefined>;
  /** Stores the result and returns where the browser resumes (`redirect_to`). `undefined` when gone. */
  finish(ctx: Ctx, uid: string, result: InteractionResult): Promise<string | undefined>;
  /** Creates a fresh grant for a consent with `grantedScope`; returns its id. */
  createGrant(ctx: Ctx, interaction: PendingInteraction, grantedScope: readonly string[]): Promise<string>;
  /** Revokes every token of a grant and the grant itself. */
  revokeGrant(ctx: Ctx, grantId: string): Promise<void>;
  /** Drops the logged-in account from an engine session (another subject is logging in). */
  forgetLogin(ctx: Ctx, sessionUid: string): Promise<void>;
  /** Deletes every engine session of the subject (the next authorization shows the login UI). */
  destroySessions(ctx: Ctx, subject: string): Promise<void>;
}

export interface InteractionPortProvider {
  readonly interactionPort: InteractionPort;
}
