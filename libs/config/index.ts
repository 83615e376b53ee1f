export * from './config';
export * from './config.schema';
export * from './courier-config';
export * from './courier.schema';
export * from './load-config';
export * from './oauth2-config';
export * from './oauth2.schema';
export * from './secrets';
