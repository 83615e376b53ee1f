export * from './login-service';
export * from './login-strategy';
export * from './login-hooks';
export * from './routes';
export * from './oauth2-login-bridge';
