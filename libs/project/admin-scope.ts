import { DEFAULT_REALM } from '../x';
import type { AdminPrincipal } from './admin-authenticator';

/** Admin paths anyone may call, as Kratos and Hydra keep them open: liveness, readiness, version. */
const OPEN = /^\/(health\/(alive|ready)|version)\/?$/;

/** The control plane: projects and stored realms (operators only, whatever realm the path names). */
const CONTROL_PLANE = /^\/(projects|admin\/realms)(\/|$)/;

/** The project API: what an operator's session may call (membership decides which projects). */
const PROJECT_API = /^\/projects(\/|$)/;

/**
 * The path as a router might match it, for the scope check only: percent-decoded, lower-cased (express
 * matches routes case-insensitively), repeated slashes folded. Errs towards matching the control plane.
 */
function normalized(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    /* keep the raw path */
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, '/');
}

/** True for an admin path that needs no key (`path` without the `/realms/{realm}` prefix, without query). */
export function isOpenAdminPath(path: string): boolean {
  return OPEN.test(path);
}

/**
 * Whether `principal` may call `path` (without prefix) of the realm `realm` on the admin port: an
 * operator everything; a project API key only its own project's realm, never the default realm, the
 * control plane (`/projects…`, `/admin/realms…`) nor another project; an operator's session only the
 * project API (`/projects…`) of the default realm's address — never a realm's admin API nor `/admin/realms`.
 */
export function adminScopeAllows(principal: AdminPrincipal, realm: string, path: string): boolean {
  if (principal.kind === 'operator') return true;
  if (principal.kind === 'operator_session') return realm === DEFAULT_REALM && PROJECT_API.test(normalized(path));
  return principal.realm === realm && realm !== DEFAULT_REALM && !CONTROL_PLANE.test(normalized(path));
}
