import express, { type Router } from 'express';
import { VERSION } from '../x';

/** Answers readiness: resolves when every dependency (the database) answers, rejects otherwise. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** A readiness failure whose message is meant for operators (no secrets), e.g. naming pending migrations. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export interface HealthRouterDeps {
  readonly readinessChecks: readonly ReadinessCheck[];
}

/**
 * `GET /health/alive` (the process serves HTTP), `GET /health/ready` (200, or 503 with
 * `{"errors":{<check>: <message>}}` when a dependency fails: a {@link NotReadyError}'s message, otherwise
 * `<check> is not ready`) and `GET /version`, as on Kratos and Hydra.
 */
export function createHealthRouter(deps: HealthRouterDeps): Router {
  const router = express.Router();
  router.get('/health/alive', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const errors: Record<string, string> = {};
    await Promise.all(
      deps.readinessChecks.map(async (c) => {
        try {
          await c.check();
        } catch (error) {
          errors[c.name] = error instanceof NotReadyError ? error.message : `${c.name} is not ready`;
        }
      }),
    );
    if (Object.keys(errors).length > 0) res.status(503).json({ errors });
    else res.json({ status: 'ok' });
  });
  router.get('/version', (_req, res) => {
    res.json({ version: VERSION });
  });
  return router;
}
