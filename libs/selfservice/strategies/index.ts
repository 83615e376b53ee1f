/** What the apps may use from the strategies directly (architecture B2 rule 6: through an index). */
export { ROUTE_WEBAUTHN_JS, WEBAUTHN_SCRIPT, WEBAUTHN_SCRIPT_INTEGRITY } from './webauthn/webauthn-script';
