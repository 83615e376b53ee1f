import { createDecipheriv, scryptSync } from 'node:crypto';
import { firebaseScrypt } from './firebase-scrypt';

// Firebase's published example (github.com/firebase/scrypt README, "Example"), as used by Kratos's tests.
const VECTOR = {
  password: 'user1password',
  salt: '42xEC+ixf3L2lw==',
  saltSeparator: 'Bw==',
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  rounds: 8,
  memCost: 14,
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
};

const params = {
  salt: Buffer.from(VECTOR.salt, 'base64'),
  saltSeparator: Buffer.from(VECTOR.saltSeparator, 'base64'),
  signerKey: Buffer.from(VECTOR.signerKey, 'base64'),
  memCost: VECTOR.memCost,
  rounds: VECTOR.rounds,
  p: 1,
};

describe('firebaseScrypt', () => {
  it('reproduces the hash of Firebase published test vector', async () => {
    const hash = await firebaseScrypt(Buffer.from(VECTOR.password), params);
    expect(hash.toString('base64')).toBe(VECTOR.hash);
  });

  it('produces a different hash for a wrong password', async () => {
    const hash = await firebaseScrypt(Buffer.from('user1passwore'), params);
    expect(hash.toString('base64')).not.toBe(VECTOR.hash);
    expect(hash).toHaveLength(64);
  });

  it('matches an independent decryption: the stored hash decrypts back to the signer key', () => {
    const key = scryptSync(VECTOR.password, Buffer.concat([params.salt, params.saltSeparator]), 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const decipher = createDecipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const plain = Buffer.concat([decipher.update(Buffer.from(VECTOR.hash, 'base64')), decipher.final()]);
    expect(plain.toString('base64')).toBe(VECTOR.signerKey);
  });
});
