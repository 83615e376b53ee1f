import type { TransactionRunnerProvider } from '../../x';
import type { AnyFlow } from './flow';
import type { FlowStoreProvider } from './flow-store';

/**
 * Stores `updated`, a strategy's new version of the flow the request `loaded`, onto the flow **as
 * stored now** (read locked in its own transaction): see {@link mergeInternalContext}. So a parallel
 * request's method state (a code method's wrong-try counter) is never overwritten by this stale copy.
 * Returns what was stored.
 */
export async function saveFlowUpdate<F extends AnyFlow>(deps: FlowStoreProvider & TransactionRunnerProvider, loaded: F, updated: F): Promise<F> {
  return deps.transactions.withTransaction(async (tx) => {
    const current = await deps.flowStore.getForUpdate(loaded.kind, loaded.id, tx);
    const merged = current ? ({ ...updated, internalContext: mergeInternalContext(loaded.internalContext, updated.internalContext, current.internalContext) } as F) : updated;
    await deps.flowStore.update(merged, tx);
    return merged;
  });
}

/**
 * Three-way merge of a flow's server-side state, one top-level entry (one method's slot) at a time:
 * an entry the update changed or removed (compared by reference with `loaded`) wins; every other entry
 * keeps its `stored` value, including entries a parallel request added.
 */
export function mergeInternalContext(
  loaded: Readonly<Record<string, unknown>>,
  updated: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const key of new Set([...Object.keys(loaded), ...Object.keys(updated)])) {
    if (loaded[key] === updated[key]) continue;
    if (key in updated) merged[key] = updated[key];
    else delete merged[key];
  }
  return merged;
}
