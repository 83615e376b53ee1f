export * from './platform';
export * from './realm-registry';
export * from './registry';
export * from './realms';
export * from './realm-address';
