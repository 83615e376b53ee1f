export * from './totp-strategy';
export * from './totp-codes';
