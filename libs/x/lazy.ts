/**
 * A value built on first use and kept: `make` runs at most once (unless it throws, then again on the next
 * call). Module-level validators and other costly constants use it so that loading a module at boot does
 * no work a first request can do (issue 16: cold start).
 */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
