/** Kratos login routes (public app). */
export const ROUTE_LOGIN_INIT_BROWSER = '/self-service/login/browser';
export const ROUTE_LOGIN_INIT_API = '/self-service/login/api';
export const ROUTE_LOGIN_FLOWS = '/self-service/login/flows';
export const ROUTE_LOGIN_SUBMIT = '/self-service/login';
