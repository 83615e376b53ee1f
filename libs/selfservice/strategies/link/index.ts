export * from './link-strategy';
