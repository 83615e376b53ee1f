/**
 * An open database transaction, opaque to domain code: stores accept it to take part in the
 * transaction, and only `libs/persistence` knows what is inside.
 */
export interface Transaction {
  readonly __transaction: unique symbol;
}

/** Runs work in one transaction: all of it commits, or none of it does. */
export interface TransactionRunner {
  withTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
}

/** Gives the service a transaction runner. */
export interface TransactionRunnerProvider {
  readonly transactions: TransactionRunner;
}

/**
 * The database kept aborting a transaction (deadlock, lock wait timeout, serialization failure) after
 * every retry; the request may be sent again. The HTTP layer answers 503, never 500.
 */
export class TransactionRetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`the database aborted the transaction ${attempts} times (deadlock or lock wait timeout)`, options);
    this.name = 'TransactionRetriesExhaustedError';
  }
}
