import type { Ctx } from '../../../x';

/**
 * The OAuth2 side of an integrated login (Kratos + Hydra in one process): a login flow started with
 * `?login_challenge=` accepts that challenge when it completes. The flow library owns this port; the
 * registry implements it with the OAuth2 challenge service, so self-service never imports OAuth2 code.
 */
export interface OAuth2LoginBridge {
  /**
   * Checks that a challenge is pending; returns whether the provider would skip login (remembered) and
   * its subject.
   * @throws OryError 404 unknown challenge, 410 handled challenge
   */
  inspect(ctx: Ctx, challenge: string): Promise<{ readonly skip: boolean; readonly subject: string }>;
  /** Accepts the challenge for the identity; returns where the browser continues. */
  accept(ctx: Ctx, challenge: string, input: { subject: string; remember: boolean; acr: string; amr: readonly string[] }): Promise<string>;
}

export interface OAuth2LoginBridgeProvider {
  /** Undefined when OAuth2 is not wired (unit tests). */
  readonly oauth2LoginBridge?: OAuth2LoginBridge;
}
