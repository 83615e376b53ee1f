export * from './test-ctx';
