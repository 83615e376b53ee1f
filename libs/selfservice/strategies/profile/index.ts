export * from './profile-strategy';
