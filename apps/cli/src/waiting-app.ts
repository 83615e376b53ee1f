import type { RequestListener } from 'node:http';
import express from 'express';
import { type WriteErrorDeps, createHealthRouter, unavailable, writeError } from '../../../libs/http';

export interface WaitingAppDeps extends WriteErrorDeps {
  /** Throws a `NotReadyError` naming the pending migrations, or an Error when the database does not answer. */
  assertSchemaCurrent(): Promise<void>;
}

/**
 * What both listeners of `tessera serve` answer while migrations are pending (`database.auto_migrate: false`
 * before `tessera migrate up`): `/health/alive` 200, `/health/ready` 503 naming the pending migrations,
 * anything else 503. Invariant: a readiness probe answers 200 only after `activate` has put the real apps
 * in place, so traffic a load balancer sends after a 200 never meets this app.
 */
export function createWaitingApp(deps: WaitingAppDeps, activate: () => Promise<boolean>): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const check = async (): Promise<void> => {
    await deps.assertSchemaCurrent();
    // Migrated meanwhile: finish the boot before answering 200.
    if (!(await activate())) throw new Error('the boot has not completed');
  };
  app.use(createHealthRouter({ readinessChecks: [{ name: 'database', check }] }));
  app.use((_req, _res, next) => next(unavailable('The database schema is not current yet: migrations are pending.')));
  app.use(writeError('ory', deps));
  return app;
}
