import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { jsonBody, requireJsonContentType, validateBody, ctxOf } from '../../../../libs/http';
import { AdminRecoveryBody, ROUTE_ADMIN_RECOVERY_CODE, ROUTE_ADMIN_RECOVERY_LINK, type RecoveryService } from '../../../../libs/selfservice/flows';

export type AdminRecoveryRouterDeps = ConfigProvider & { readonly recoveryService: RecoveryService };

/** `POST /admin/recovery/link` (200) and `POST /admin/recovery/code` (201), Kratos §9b. */
export function createAdminRecoveryRouter(deps: AdminRecoveryRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  router.post(ROUTE_ADMIN_RECOVERY_LINK, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const input = validateBody(AdminRecoveryBody, req.body);
    const { secret, expiresAt } = await deps.recoveryService.createForAdmin(ctx, 'link', input.identity_id, input.expires_in);
    res.json({ recovery_link: secret, expires_at: expiresAt.toISOString() });
  });
  router.post(ROUTE_ADMIN_RECOVERY_CODE, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const input = validateBody(AdminRecoveryBody, req.body);
    const { flow, secret, expiresAt } = await deps.recoveryService.createForAdmin(ctx, 'code', input.identity_id, input.expires_in);
    const link = new URL(deps.config.selfservice.flows.recovery.ui_url);
    link.searchParams.set('flow', flow.id);
    res.status(201).json({ recovery_link: link.toString(), recovery_code: secret, expires_at: expiresAt.toISOString() });
  });
  return router;
}
