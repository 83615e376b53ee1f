export * from './lookup-secret-strategy';
export * from './recovery-codes';
