export * from './project';
export * from './project-store';
export * from './project-slug';
export * from './project-config';
export * from './project-service';
