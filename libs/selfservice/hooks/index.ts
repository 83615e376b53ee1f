export * from './session-issuer';
export * from './revoke-active-sessions';
export * from './verification-sender';
