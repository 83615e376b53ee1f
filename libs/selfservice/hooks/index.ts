export * from './session-issuer';
export * from './revoke-active-sessions';
