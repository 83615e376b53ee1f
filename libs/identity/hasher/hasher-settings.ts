/**
 * How new passwords are hashed: structurally the `hashers` slice of the Tessera config
 * (`libs/config/config.schema.ts`), declared here so this library needs nothing from `config`.
 *
 * Invariants (enforced by the config schema, assumed here): `bcrypt.cost` is 4..31, `max_concurrency` is
 * 0..256 where 0 means 2 x `os.availableParallelism()`, and the argon2 numbers are positive integers
 * (`memory` in KiB, at least 8 x `parallelism`).
 */
export interface HasherSettings {
  /** Hash for new passwords: bcrypt, or argon2 (always the argon2id variant). */
  algorithm: 'bcrypt' | 'argon2';
  /** Hash or verify computations running at once; 0 = 2 x `os.availableParallelism()`. */
  max_concurrency: number;
  bcrypt: { cost: number };
  argon2: { memory: number; iterations: number; parallelism: number; salt_length: number; key_length: number };
}
