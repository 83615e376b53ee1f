import pino from 'pino';
import { type Actor, type Ctx, DEFAULT_REALM, newCtx } from '../ctx';

/** A ctx for tests: the default realm, a fixed request id and a silent logger. */
export function testCtx(options: { realm?: string; actor?: Actor; requestId?: string } = {}): Ctx {
  return newCtx(pino({ enabled: false }), options.requestId ?? 'test-request', { realm: options.realm ?? DEFAULT_REALM, actor: options.actor });
}
