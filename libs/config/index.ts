export * from './config';
export * from './config.schema';
export * from './load-config';
export * from './secrets';
