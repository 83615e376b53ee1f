import { OryError } from '../../http/errors';

/** Awaits a promise that must reject with an `OryError` and returns that error (for unit tests). */
export async function rejection(promise: Promise<unknown>): Promise<OryError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  if (!(error instanceof OryError)) throw error;
  return error;
}
