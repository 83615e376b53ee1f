/**
 * A counting semaphore with a FIFO queue: at most `limit` tasks passed to {@link ConcurrencyLimiter.run} are
 * in flight at once; the others wait, and start in the order they were submitted as running ones settle.
 *
 * Password hashing is deliberately expensive and runs in libuv's threadpool (bcrypt, argon2, scrypt, pbkdf2),
 * which is shared with file I/O and DNS. Bounding the number of hashes in flight keeps a login burst from
 * starving the rest of the process; the waiting requests queue here instead.
 *
 * Invariants: `active <= limit` at all times; a task's rejection is passed to its caller and frees its slot
 * like a resolution does; a slot is handed directly to the oldest waiter, so no later caller can overtake it.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiters: Array<() => void> = [];

  /** @throws RangeError when `limit` is not a positive integer. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }

  /** Tasks currently running. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get pending(): number {
    return this.waiters.length;
  }

  /** Runs `task` once a slot is free and settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    // Hand the slot over without decrementing, so a caller arriving now cannot take it first.
    if (next) next();
    else this.running--;
  }
}
