import type * as Argon2 from 'argon2';
import { lazy } from '../../x';

/** The argon2 native module, loaded on the first argon2 hash or check (bcrypt-only processes never load it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const argon2 = lazy(() => require('argon2') as typeof Argon2);
