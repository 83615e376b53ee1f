import { TransactionRetriesExhaustedError } from '../../x';
import { toOryError } from './to-ory-error';

describe('toOryError', () => {
  it('answers 503 (never 500) when the database kept aborting a transaction', () => {
    const error = toOryError(new TransactionRetriesExhaustedError(5, { cause: new Error('Deadlock found') }));
    expect(error.code).toBe(503);
    expect(error.reason).toMatch(/retry/);
  });

  it('keeps other unknown errors a 500', () => {
    expect(toOryError(new Error('boom')).code).toBe(500);
  });
});
