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
