export * from './ory-error';
export * from './to-ory-error';
