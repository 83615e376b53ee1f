const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** One output group: three digest byte indices (most significant first; -1 = a zero byte) and how many chars. */
export type CryptBase64Group = readonly [number, number, number, number];

/**
 * The crypt(3) flavour of base64 used by md5-crypt and SHA-crypt: alphabet `./0-9A-Za-z`, each group of three
 * digest bytes (taken in the algorithm's own permuted order) is emitted as a 24-bit little-endian number, six
 * bits per character, least significant first (`b64_from_24bit` in Drepper's specification, `to64` in PHK's
 * md5-crypt). The permutation tables live with each algorithm.
 */
export function encodeCryptBase64(digest: Buffer, groups: readonly CryptBase64Group[]): string {
  let out = '';
  for (const [i2, i1, i0, chars] of groups) {
    const byte = (i: number): number => (i < 0 ? 0 : digest[i]);
    let w = (byte(i2) << 16) | (byte(i1) << 8) | byte(i0);
    for (let n = 0; n < chars; n++) {
      out += ITOA64[w & 0x3f];
      w >>>= 6;
    }
  }
  return out;
}
