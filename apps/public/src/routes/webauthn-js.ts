import express, { type Router } from 'express';
import { ROUTE_WEBAUTHN_JS, WEBAUTHN_SCRIPT } from '../../../../libs/selfservice/strategies';

/**
 * `GET /.well-known/ory/webauthn.js` (Kratos §12): the script the WebAuthn trigger nodes call. Script
 * nodes load it cross-origin with `crossorigin="anonymous"` and an SRI hash, so it is served with
 * `Access-Control-Allow-Origin: *` and exactly the bytes the hash was computed over.
 */
export function createWebAuthnScriptRouter(): Router {
  const router = express.Router();
  const body = Buffer.from(WEBAUTHN_SCRIPT, 'utf8');
  router.get(ROUTE_WEBAUTHN_JS, (_req, res) => {
    res.set({ 'Content-Type': 'text/javascript; charset=UTF-8', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' });
    res.send(body);
  });
  return router;
}
