import { createHash } from 'node:crypto';

/** Where the public app serves the script (Kratos `/.well-known/ory/webauthn.js`). */
export const ROUTE_WEBAUTHN_JS = '/.well-known/ory/webauthn.js';

/**
 * The browser side of the ceremonies, run from the `onclick` of the trigger nodes (Kratos §12):
 * `window.__oryWebAuthnLogin(opts)` and `window.__oryWebAuthnRegistration(opts)` decode the binary
 * option fields (standard base64 or base64url), call `navigator.credentials.get/create`, write the
 * result as JSON (binary fields base64url, no padding) into the hidden `webauthn_login` /
 * `webauthn_register` input and submit its form, adding `method=webauthn` when the form has no such
 * hidden input (a script submit sends no button value). Idempotent; plain ES5 so any browser parses it.
 */
export const WEBAUTHN_SCRIPT = `(function () {
  'use strict';
  if (window.__oryWebAuthnInitialized) return;
  window.__oryWebAuthnInitialized = true;

  function toBytes(value) {
    var s = String(value).replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function toBase64Url(buffer) {
    if (!buffer) return undefined;
    var bytes = new Uint8Array(buffer), s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }

  function supported() {
    if (window.PublicKeyCredential && navigator.credentials) return true;
    alert('This browser does not support WebAuthn!');
    return false;
  }

  function submitWith(resultSelector, value) {
    var input = document.querySelector(resultSelector);
    if (!input) throw new Error('WebAuthn: no element matches ' + resultSelector);
    input.value = JSON.stringify(value);
    var form = input.form || input.closest('form');
    if (!form.querySelector('input[type="hidden"][name="method"]')) {
      var method = document.createElement('input');
      method.type = 'hidden';
      method.name = 'method';
      method.value = 'webauthn';
      form.appendChild(method);
    }
    form.submit();
  }

  function extensions(credential) {
    return typeof credential.getClientExtensionResults === 'function' ? credential.getClientExtensionResults() : {};
  }

  function fail(error) {
    alert(error && error.message ? error.message : String(error));
  }

  window.__oryWebAuthnLogin = function (opt, resultSelector, triggerSelector) {
    resultSelector = resultSelector || '*[name="webauthn_login"]';
    triggerSelector = triggerSelector || '*[name="webauthn_login_trigger"]';
    if (!supported()) return;
    var publicKey = opt.publicKey;
    publicKey.challenge = toBytes(publicKey.challenge);
    (publicKey.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    navigator.credentials.get(opt).then(function (credential) {
      var r = credential.response;
      submitWith(resultSelector, {
        id: credential.id,
        rawId: toBase64Url(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: extensions(credential),
        response: {
          authenticatorData: toBase64Url(r.authenticatorData),
          clientDataJSON: toBase64Url(r.clientDataJSON),
          signature: toBase64Url(r.signature),
          userHandle: toBase64Url(r.userHandle)
        }
      });
    })['catch'](fail);
  };

  window.__oryWebAuthnRegistration = function (opt, resultSelector, triggerSelector) {
    resultSelector = resultSelector || '*[name="webauthn_register"]';
    triggerSelector = triggerSelector || '*[name="webauthn_register_trigger"]';
    if (!supported()) return;
    var publicKey = opt.publicKey;
    publicKey.challenge = toBytes(publicKey.challenge);
    publicKey.user.id = toBytes(publicKey.user.id);
    (publicKey.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    if (!publicKey.user.name) {
      // Sign-up: name the passkey after the identifier typed into the form.
      var trait = document.querySelector('input[name^="traits."][type="email"], input[name^="traits."][type="text"]');
      publicKey.user.name = (trait && trait.value) || 'user';
    }
    if (!publicKey.user.displayName) publicKey.user.displayName = publicKey.user.name;
    navigator.credentials.create(opt).then(function (credential) {
      var r = credential.response;
      submitWith(resultSelector, {
        id: credential.id,
        rawId: toBase64Url(credential.rawId),
        type: credential.type,
        authenticatorAttachment: credential.authenticatorAttachment || undefined,
        clientExtensionResults: extensions(credential),
        response: {
          attestationObject: toBase64Url(r.attestationObject),
          clientDataJSON: toBase64Url(r.clientDataJSON),
          transports: typeof r.getTransports === 'function' ? r.getTransports() : undefined
        }
      });
    })['catch'](fail);
  };
})();
`;

/** `sha512-<base64>` of the served bytes, for the script node's `integrity` (computed once at load). */
export const WEBAUTHN_SCRIPT_INTEGRITY = `sha512-${createHash('sha512').update(WEBAUTHN_SCRIPT, 'utf8').digest('base64')}`;
