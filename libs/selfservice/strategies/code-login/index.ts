export * from './code-addresses';
export * from './code-login-strategy';
