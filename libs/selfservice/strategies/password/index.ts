export * from './password-strategy';
export * from './password-policy';
