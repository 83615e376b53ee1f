import { availableParallelism } from 'node:os';
import * as argon2 from 'argon2';
import bcryptjs from 'bcryptjs';
import { assertImportableHash } from './assert-importable-hash';
import { ConcurrencyLimiter } from './concurrency-limiter';
import type { HasherSettings } from './hasher-settings';
import { PasswordHasher } from './password-hasher';
import { PasswordTooLongError } from './password-too-long-error';
import { UnknownHashFormatError } from './unknown-hash-format-error';

/** Low costs so the suite stays fast; the production defaults live in the config schema. */
function settings(overrides: Partial<HasherSettings> = {}, argon2: Partial<HasherSettings['argon2']> = {}): HasherSettings {
  return {
    algorithm: 'bcrypt',
    max_concurrency: 4,
    bcrypt: { cost: 4 },
    ...overrides,
    argon2: { memory: 1024, iterations: 1, parallelism: 1, salt_length: 16, key_length: 32, ...argon2 },
  };
}

const bcryptHasher = new PasswordHasher(settings());
const argon2Hasher = new PasswordHasher(settings({ algorithm: 'argon2' }));
const PBKDF2 = '$pbkdf2-sha256$i=1000,l=32$TmFDbC1zYWx0LTE2Ynl0ZQ$P9ie5W1CBV7fO0gFVTJFaCJVtGVq/TRjtFlDXxH4lso';

describe('PasswordHasher', () => {
  describe('bcrypt', () => {
    it('hashes with the configured cost and verifies the password when it is right', async () => {
      const hash = await bcryptHasher.hash('hunter2 ünïcode');
      expect(hash).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
      await expect(bcryptHasher.verify('hunter2 ünïcode', hash)).resolves.toBe(true);
      await expect(bcryptHasher.verify('hunter2 unicode', hash)).resolves.toBe(false);
      await expect(bcryptHasher.verify('', hash)).resolves.toBe(false);
    });

    it('produces hashes an independent implementation (bcryptjs) accepts', async () => {
      const hash = await bcryptHasher.hash('s3cret-pässword');
      expect(bcryptjs.compareSync('s3cret-pässword', hash)).toBe(true);
      expect(bcryptjs.compareSync('s3cret-password', hash)).toBe(false);
    });

    it('verifies a hash made by bcryptjs when the password is right', async () => {
      const hash = bcryptjs.hashSync('made elsewhere', 5);
      await expect(bcryptHasher.verify('made elsewhere', hash)).resolves.toBe(true);
      await expect(bcryptHasher.verify('made elsewhere!', hash)).resolves.toBe(false);
    });

    it('throws PasswordTooLongError for a 73-byte password instead of truncating', async () => {
      await expect(bcryptHasher.hash('a'.repeat(73))).rejects.toThrow(PasswordTooLongError);
      await expect(bcryptHasher.hash('a'.repeat(73))).rejects.toThrow('The password is longer than 72 bytes, the most bcrypt can hash.');
      // Bytes, not characters: 37 x "é" is 74 bytes of UTF-8.
      await expect(bcryptHasher.hash('é'.repeat(37))).rejects.toThrow(PasswordTooLongError);
      await expect(bcryptHasher.hash('a'.repeat(72))).resolves.toMatch(/^\$2b\$/);
    });
  });

  describe('argon2', () => {
    it('hashes as an argon2id PHC string with the configured parameters and verifies it', async () => {
      const hash = await argon2Hasher.hash('correct horse');
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      await expect(argon2Hasher.verify('correct horse', hash)).resolves.toBe(true);
      await expect(argon2Hasher.verify('correct horsE', hash)).resolves.toBe(false);
      // Cross-check with the argon2 package's own PHC parser and verifier.
      await expect(argon2.verify(hash, 'correct horse')).resolves.toBe(true);
    });

    it('verifies a PHC string written by the argon2 package (parameters ordered m,p,t)', async () => {
      const hash = await argon2.hash('from node', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
      expect(hash).toContain('m=1024,p=1,t=1');
      await expect(argon2Hasher.verify('from node', hash)).resolves.toBe(true);
      await expect(argon2Hasher.verify('from nodE', hash)).resolves.toBe(false);
      expect(argon2Hasher.needsRehash(hash)).toBe(false);
    });

    it('uses a fresh salt for every hash', async () => {
      const [a, b] = await Promise.all([argon2Hasher.hash('same'), argon2Hasher.hash('same')]);
      expect(a).not.toBe(b);
    });

    it('honours the configured salt and key lengths', async () => {
      const hasher = new PasswordHasher(settings({ algorithm: 'argon2' }, { salt_length: 24, key_length: 48 }));
      const [, , , , salt, key] = (await hasher.hash('pw')).split('$');
      expect(Buffer.from(salt, 'base64')).toHaveLength(24);
      expect(Buffer.from(key, 'base64')).toHaveLength(48);
    });

    it('accepts passwords longer than 72 bytes but not longer than 4096', async () => {
      const long = 'a'.repeat(100);
      await expect(argon2Hasher.verify(long, await argon2Hasher.hash(long))).resolves.toBe(true);
      await expect(argon2Hasher.hash('a'.repeat(4097))).rejects.toThrow(PasswordTooLongError);
    });

    it('verifies its own hashes even when its costs exceed the default import limits', async () => {
      const hasher = new PasswordHasher(settings({ algorithm: 'argon2' }, { iterations: 33 }));
      const hash = await hasher.hash('pw');
      expect(() => assertImportableHash(hash)).toThrow(UnknownHashFormatError);
      await expect(hasher.verify('pw', hash)).resolves.toBe(true);
    });
  });

  describe('verify', () => {
    it('verifies imported formats regardless of the configured algorithm', async () => {
      await expect(bcryptHasher.verify('correct horse', PBKDF2)).resolves.toBe(true);
      await expect(argon2Hasher.verify('correct horse', PBKDF2)).resolves.toBe(true);
      await expect(argon2Hasher.verify('correct horsE', PBKDF2)).resolves.toBe(false);
      await expect(argon2Hasher.verify('pw', await bcryptHasher.hash('pw'))).resolves.toBe(true);
    });

    it('answers false for a password over 4096 bytes rather than throwing', async () => {
      await expect(bcryptHasher.verify('a'.repeat(5000), PBKDF2)).resolves.toBe(false);
    });

    it('rejects with UnknownHashFormatError when the stored hash cannot be parsed', async () => {
      await expect(bcryptHasher.verify('pw', 'plaintext-password')).rejects.toThrow(UnknownHashFormatError);
      await expect(bcryptHasher.verify('pw', '$pbkdf2-sha256$i=0,l=32$c2FsdA$AAAA')).rejects.toThrow(UnknownHashFormatError);
    });
  });

  describe('needsRehash', () => {
    it('is false only for a bcrypt hash with the configured cost when bcrypt is configured', async () => {
      expect(bcryptHasher.needsRehash(await bcryptHasher.hash('pw'))).toBe(false);
      expect(bcryptHasher.needsRehash(bcryptjs.hashSync('pw', 4).replace(/^\$2b\$/, '$2y$'))).toBe(false);
      expect(bcryptHasher.needsRehash(bcryptjs.hashSync('pw', 5))).toBe(true);
      expect(bcryptHasher.needsRehash(await argon2Hasher.hash('pw'))).toBe(true);
      expect(bcryptHasher.needsRehash(PBKDF2)).toBe(true);
    });

    it('is false only for argon2id with the configured m, t, p and lengths when argon2 is configured', async () => {
      const own = await argon2Hasher.hash('pw');
      expect(argon2Hasher.needsRehash(own)).toBe(false);
      expect(argon2Hasher.needsRehash(own.replace('m=1024', 'm=2048'))).toBe(true);
      expect(argon2Hasher.needsRehash(own.replace('t=1', 't=2'))).toBe(true);
      expect(argon2Hasher.needsRehash(own.replace('p=1', 'p=2'))).toBe(true);
      expect(argon2Hasher.needsRehash(own.replace('$argon2id$', '$argon2i$'))).toBe(true);
      const longerKey = new PasswordHasher(settings({ algorithm: 'argon2' }, { key_length: 64 }));
      expect(longerKey.needsRehash(own)).toBe(true);
      const longerSalt = new PasswordHasher(settings({ algorithm: 'argon2' }, { salt_length: 24 }));
      expect(longerSalt.needsRehash(own)).toBe(true);
      expect(argon2Hasher.needsRehash(await bcryptHasher.hash('pw'))).toBe(true);
      expect(argon2Hasher.needsRehash(PBKDF2)).toBe(true);
    });

    it('throws UnknownHashFormatError for an unparseable hash', () => {
      expect(() => bcryptHasher.needsRehash('nonsense')).toThrow(UnknownHashFormatError);
    });
  });

  describe('concurrency', () => {
    afterEach(() => jest.restoreAllMocks());

    it('defaults to twice the available parallelism when max_concurrency is 0', () => {
      expect(new PasswordHasher(settings({ max_concurrency: 0 })).concurrency).toBe(2 * availableParallelism());
      expect(new PasswordHasher(settings({ max_concurrency: 3 })).concurrency).toBe(3);
    });

    it('runs every hash and verify through the limiter, at most max_concurrency at once', async () => {
      const run = ConcurrencyLimiter.prototype.run;
      let inFlight = 0;
      let maxInFlight = 0;
      const spy = jest.spyOn(ConcurrencyLimiter.prototype, 'run').mockImplementation(function (this: ConcurrencyLimiter, task) {
        return run.call(this, async () => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            return await task();
          } finally {
            inFlight--;
          }
        });
      });
      const hasher = new PasswordHasher(settings({ max_concurrency: 2 }));
      const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => hasher.hash(`pw${i}`)));
      const results = await Promise.all(hashes.map((hash, i) => hasher.verify(`pw${i}`, hash)));
      expect(results).toEqual([true, true, true, true, true, true]);
      expect(spy).toHaveBeenCalledTimes(12);
      expect(maxInFlight).toBe(2);
    });
  });
});
