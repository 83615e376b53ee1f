/**
 * Polls `check` every 50 ms until it returns a value other than `undefined`, and returns it; fails after
 * `timeoutMs` (generous by default: the CI box is busy). Returns as soon as the condition holds.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
