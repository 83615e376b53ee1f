export * from './session';
export * from './session-store';
export * from './session-tokens';
export * from './session-cookie';
export * from './session-manager';
export * from './wire';
