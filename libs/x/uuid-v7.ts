import { randomFillSync } from 'node:crypto';

/** Bits of the per-millisecond counter: `rand_a` (12) and the top 30 bits of `rand_b` (RFC 9562 §6.2, method 1). */
const COUNTER_BITS = 42;
const COUNTER_MAX = 2 ** COUNTER_BITS - 1;
/** A new millisecond seeds the counter below 2^41, leaving at least 2^41 increments before it overflows. */
const COUNTER_SEED = 2 ** (COUNTER_BITS - 1);

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = -1;
let counter = 0;

function random16(): Buffer {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + 16));
  poolOffset += 16;
  return out;
}

/**
 * A new UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, variant 10, a 42-bit counter and 32
 * random bits from the CSPRNG. Ids of one process are strictly increasing (as strings too): within a
 * millisecond the counter (seeded randomly per millisecond) increments; if the clock goes back the last
 * timestamp is kept; a counter overflow advances the timestamp by one millisecond. New rows keyed by
 * these ids append to their B-tree indexes instead of splitting random pages. The id reveals its
 * creation time (to the millisecond), which the API exposes as `created_at` anyway.
 */
export function newTimeOrderedId(now: number = Date.now()): string {
  const bytes = random16();
  if (now > lastMs) {
    lastMs = now;
    counter = bytes.readUIntBE(6, 6) % COUNTER_SEED;
  } else if (counter >= COUNTER_MAX) {
    lastMs += 1;
    counter = bytes.readUIntBE(6, 6) % COUNTER_SEED;
  } else {
    counter += 1;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  const high = Math.floor(counter / 2 ** 30); // 12 bits -> rand_a
  const low = counter % 2 ** 30; // 30 bits -> top of rand_b
  bytes[6] = 0x70 | (high >>> 8);
  bytes[7] = high & 0xff;
  bytes[8] = 0x80 | (low >>> 24);
  bytes[9] = (low >>> 16) & 0xff;
  bytes[10] = (low >>> 8) & 0xff;
  bytes[11] = low & 0xff;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Unix milliseconds a UUIDv7 carries. */
export function uuidV7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
