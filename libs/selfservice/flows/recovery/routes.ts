/** Kratos recovery routes (public app) and admin recovery (admin app). */
export const ROUTE_RECOVERY_INIT_BROWSER = '/self-service/recovery/browser';
export const ROUTE_RECOVERY_INIT_API = '/self-service/recovery/api';
export const ROUTE_RECOVERY_FLOWS = '/self-service/recovery/flows';
export const ROUTE_RECOVERY_SUBMIT = '/self-service/recovery';
export const ROUTE_ADMIN_RECOVERY_LINK = '/admin/recovery/link';
export const ROUTE_ADMIN_RECOVERY_CODE = '/admin/recovery/code';
