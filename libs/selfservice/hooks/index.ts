export * from './session-issuer';
export * from './revoke-active-sessions';
export * from './verification-sender';
export * from './require-verified-address';
export * from './show-verification-ui';
