export * from './login';
export * from './registration';
