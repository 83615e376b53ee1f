export * from './login-service';
export * from './login-strategy';
export * from './login-hooks';
export * from './routes';
