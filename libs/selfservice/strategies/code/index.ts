export * from './email-challenge';
export * from './code-strategy';
