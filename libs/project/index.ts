export * from './project-directory';
export * from './project-api-key';
export * from './project-api-key-store';
export * from './project-api-key-service';
export * from './admin-authenticator';
export * from './admin-scope';
