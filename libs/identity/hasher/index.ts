export * from './password-hasher';
export * from './hasher-settings';
export * from './password-too-long-error';
export * from './unknown-hash-format-error';
export * from './parse-hash-format';
export * from './assert-importable-hash';
export * from './hash-limits';
export * from './concurrency-limiter';
export type { HashFormat } from './parsed-hash';
