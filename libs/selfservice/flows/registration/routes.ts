/** Kratos registration routes (public app). */
export const ROUTE_REGISTRATION_INIT_BROWSER = '/self-service/registration/browser';
export const ROUTE_REGISTRATION_INIT_API = '/self-service/registration/api';
export const ROUTE_REGISTRATION_FLOWS = '/self-service/registration/flows';
export const ROUTE_REGISTRATION_SUBMIT = '/self-service/registration';
