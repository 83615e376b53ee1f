export * from './webauthn-strategy';
export * from './webauthn-script';
export * from './webauthn-credentials';
export { webAuthnScriptNode } from './webauthn-nodes';
