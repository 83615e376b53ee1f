export * from './dsn';
export * from './persistence';
export * from './stores/typeorm-secret-store';
