import type { ClockProvider, TransactionRunnerProvider } from '../../x';
import type { AnyFlow } from './flow';
import { applyFlowError } from './flow-helpers';
import type { FlowStoreProvider } from './flow-store';

export type SaveFlowErrorDeps = FlowStoreProvider & TransactionRunnerProvider & ClockProvider;

/**
 * Stores a failed submission's messages (`applyFlowError`) on the flow **as it is stored now**, read
 * locked in its own transaction — never on the copy the request loaded earlier, so counters a concurrent
 * request wrote in the meantime (wrong-code attempts) are kept. `adjust` sets fields of the failed
 * submission (e.g. `active`). Returns the stored flow.
 * @throws the error itself when it is not a form error (nothing is written)
 */
export async function saveFlowError<F extends AnyFlow>(
  deps: SaveFlowErrorDeps,
  loaded: F,
  error: unknown,
  echo: Readonly<Record<string, unknown>>,
  adjust: (flow: F) => F = (flow) => flow,
): Promise<F> {
  return deps.transactions.withTransaction(async (tx) => {
    const current = ((await deps.flowStore.getForUpdate(loaded.kind, loaded.id, tx)) as F | undefined) ?? loaded;
    const updated = applyFlowError(adjust(current), error, echo, deps.clock);
    await deps.flowStore.update(updated, tx);
    return updated;
  });
}
