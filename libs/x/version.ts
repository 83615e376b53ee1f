import pkg from '../../package.json';

/** The version of this build, from package.json (compiled in, so it is right wherever dist/ runs). */
export const VERSION: string = pkg.version;
