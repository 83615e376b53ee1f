/** Kratos session routes (public app). `DELETE /sessions/whoami` is whoami, not a revocation (Kratos quirk). */
export const ROUTE_WHOAMI = '/sessions/whoami';
export const ROUTE_MY_SESSIONS = '/sessions';
export const ROUTE_MY_SESSION = '/sessions/:id';

/** Kratos logout routes (public app). */
export const ROUTE_LOGOUT_BROWSER = '/self-service/logout/browser';
export const ROUTE_LOGOUT = '/self-service/logout';
export const ROUTE_LOGOUT_API = '/self-service/logout/api';

/** Kratos admin session routes (admin app), each also under its legacy path without `/admin`. */
export const ROUTE_ADMIN_IDENTITY_SESSIONS = ['/admin/identities/:id/sessions', '/identities/:id/sessions'];
export const ROUTE_ADMIN_SESSIONS = ['/admin/sessions', '/sessions'];
export const ROUTE_ADMIN_SESSION = ['/admin/sessions/:id', '/sessions/:id'];
export const ROUTE_ADMIN_SESSION_EXTEND = ['/admin/sessions/:id/extend', '/sessions/:id/extend'];

/**
 * Where an aal1 session goes to add a second factor. The login flow owns this path
 * (`flows/login/routes.ts`); sessions sit below flows in the dependency order, so it is repeated here.
 */
export const ROUTE_LOGIN_AAL2 = '/self-service/login/browser?aal=aal2';
