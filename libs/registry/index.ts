export * from './platform';
export * from './realm-registry';
export * from './registry';
export * from './realms';
export * from './realm-config-service';
export * from './realm-address';
