/**
 * A login or consent challenge that was answered. Once the browser has redeemed it the engine's
 * interaction is gone, and this record turns a later GET into 410 `{redirect_to}` and a later
 * accept/reject into 409 (hydra-api.md §3.7), instead of 404.
 */
export interface HandledChallenge {
  readonly challenge: string;
  readonly kind: 'login' | 'consent';
  readonly requestUrl: string;
  readonly handledAt: Date;
  readonly expiresAt: Date;
}
