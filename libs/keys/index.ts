export * from './json-web-key';
export * from './key-cipher';
export * from './key-generator';
export * from './key-manager';
export * from './key-store';
export * from './memory-key-store';
