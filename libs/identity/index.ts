export * from './identity';
export * from './identity-pool';
export * from './identity-schemas';
export * from './identity-manager';
export * from './admin-bodies';
export * from './wire';
export * from './hasher';
export * from './new-identity';
