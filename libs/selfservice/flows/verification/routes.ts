/** Kratos verification routes (public app). */
export const ROUTE_VERIFICATION_INIT_BROWSER = '/self-service/verification/browser';
export const ROUTE_VERIFICATION_INIT_API = '/self-service/verification/api';
export const ROUTE_VERIFICATION_FLOWS = '/self-service/verification/flows';
export const ROUTE_VERIFICATION_SUBMIT = '/self-service/verification';
