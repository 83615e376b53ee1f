import { ConcurrencyLimiter } from './concurrency-limiter';

/** A task that stays in flight until `release()` is called, recording the most tasks in flight at once. */
function harness() {
  let inFlight = 0;
  let maxInFlight = 0;
  const started: number[] = [];
  const releases: Array<() => void> = [];
  const task = (id: number) => async (): Promise<number> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    started.push(id);
    await new Promise<void>((resolve) => releases.push(resolve));
    inFlight--;
    return id;
  };
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { task, started, releases, flush, max: () => maxInFlight };
}

describe('ConcurrencyLimiter', () => {
  it('runs at most `limit` tasks at once when more are submitted', async () => {
    const h = harness();
    const limiter = new ConcurrencyLimiter(3);
    const results = Array.from({ length: 10 }, (_, i) => limiter.run(h.task(i)));
    await h.flush();
    expect(h.started).toEqual([0, 1, 2]);
    expect(limiter.active).toBe(3);
    expect(limiter.pending).toBe(7);
    while (h.releases.length > 0) {
      h.releases.shift()?.();
      await h.flush();
    }
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.max()).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('starts waiting tasks in submission order (FIFO) when slots free up', async () => {
    const h = harness();
    const limiter = new ConcurrencyLimiter(1);
    const all = [5, 3, 9, 1].map((id) => limiter.run(h.task(id)));
    for (let i = 0; i < 4; i++) {
      await h.flush();
      h.releases.shift()?.();
    }
    await Promise.all(all);
    expect(h.started).toEqual([5, 3, 9, 1]);
    expect(h.max()).toBe(1);
  });

  it('frees the slot of a task that rejects and passes the rejection on', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const failing = limiter.run(() => Promise.reject(new Error('boom')));
    const next = limiter.run(() => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    expect(limiter.active).toBe(0);
  });

  it('does not let a newcomer overtake a waiter when a slot is handed over', async () => {
    const h = harness();
    const limiter = new ConcurrencyLimiter(1);
    const first = limiter.run(h.task(1));
    const waiting = limiter.run(h.task(2));
    await h.flush();
    h.releases.shift()?.(); // task 1 finishes; its slot goes straight to task 2
    const late = limiter.run(h.task(3));
    await h.flush();
    expect(h.started).toEqual([1, 2]);
    h.releases.shift()?.();
    await h.flush();
    h.releases.shift()?.();
    await Promise.all([first, waiting, late]);
    expect(h.started).toEqual([1, 2, 3]);
    expect(h.max()).toBe(1);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimiter(1.5)).toThrow(RangeError);
  });
});
