export * from './dsn';
export * from './persistence';
export * from './stores/typeorm-secret-store';
export * from './stores/typeorm-identity-pool';
export * from './stores/typeorm-session-store';
export * from './stores/typeorm-flow-store';
export * from './stores/typeorm-courier-message-store';
export * from './stores/typeorm-token-store';
