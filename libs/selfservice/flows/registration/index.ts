export * from './registration-service';
export * from './registration-strategy';
export * from './registration-hooks';
export * from './routes';
