/** Kratos settings routes (public app). */
export const ROUTE_SETTINGS_INIT_BROWSER = '/self-service/settings/browser';
export const ROUTE_SETTINGS_INIT_API = '/self-service/settings/api';
export const ROUTE_SETTINGS_FLOWS = '/self-service/settings/flows';
export const ROUTE_SETTINGS_SUBMIT = '/self-service/settings';
