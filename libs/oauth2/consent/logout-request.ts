/** Where a logout request is: waiting for the logout app, answered, or completed by the browser. */
export type LogoutRequestState = 'pending' | 'accepted' | 'rejected' | 'used';

/** Allowed transitions of a logout request (architecture B4). */
export const LOGOUT_TRANSITIONS: Readonly<Record<LogoutRequestState, readonly LogoutRequestState[]>> = {
  pending: ['accepted', 'rejected'],
  accepted: ['accepted', 'used'],
  rejected: [],
  used: [],
};

/**
 * An RP- or user-initiated logout waiting for the logout app (Hydra's logout request).
 * Invariants: `verifier` exists once accepted; the browser redeems it once (`used`); `xsrf` is the
 * engine's confirmation secret, replayed server-side when the verifier is redeemed.
 */
export interface LogoutRequest {
  readonly challenge: string;
  readonly verifier?: string;
  readonly state: LogoutRequestState;
  readonly subject: string;
  readonly sid: string;
  readonly clientId?: string;
  readonly rpInitiated: boolean;
  /** Path and query as received (Hydra's `request_url` is not absolute). */
  readonly requestUrl: string;
  readonly xsrf: string;
  /** Front-channel logout iframes to render on completion (`frontchannel_logout_uri?iss=&sid=`). */
  readonly frontchannelUrls: readonly string[];
  readonly expiresAt: Date;
  readonly createdAt: Date;
}
