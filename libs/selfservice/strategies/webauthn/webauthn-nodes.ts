import { randomUUID } from 'node:crypto';
import { type UiNode, type UiText, inputNode } from '../../flow';
import { ROUTE_WEBAUTHN_JS, WEBAUTHN_SCRIPT_INTEGRITY } from './webauthn-script';

/** The `script` node that loads webauthn.js (Kratos §3b/§12: SRI hash, anonymous CORS, random nonce). */
export function webAuthnScriptNode(publicBaseUrl: string): UiNode {
  return {
    type: 'script',
    group: 'webauthn',
    attributes: {
      src: `${publicBaseUrl.replace(/\/$/, '')}${ROUTE_WEBAUTHN_JS}`,
      async: true,
      referrerpolicy: 'no-referrer',
      crossorigin: 'anonymous',
      integrity: WEBAUTHN_SCRIPT_INTEGRITY,
      type: 'text/javascript',
      id: 'webauthn_script',
      nonce: randomUUID(),
      node_type: 'script',
    },
    messages: [],
    meta: {},
  };
}

/** A `button` input whose `onclick` runs one of the webauthn.js functions with the ceremony options. */
export function webAuthnTriggerNode(name: 'webauthn_login_trigger' | 'webauthn_register_trigger', fn: '__oryWebAuthnLogin' | '__oryWebAuthnRegistration', options: unknown, label: UiText): UiNode {
  const node = inputNode('webauthn', name, 'button', { value: '', label });
  return { ...node, attributes: { ...node.attributes, onclick: `window.${fn}(${JSON.stringify(options)})` } };
}

/** base64url → standard base64 (the encoding Kratos's onclick options use for binary fields). */
export function toStdBase64(value: string): string {
  return Buffer.from(value, 'base64url').toString('base64');
}
