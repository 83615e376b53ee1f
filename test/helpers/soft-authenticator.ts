import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A software WebAuthn authenticator for tests: real P-256 (ES256) keys from node:crypto, CBOR-encoded
 * attestation objects (`none`, or `packed` self-attestation signed with the credential key) and real
 * assertions, so the server's verification runs end to end (no mocks of the WebAuthn library). It
 * takes the options object a trigger node's `onclick` carries and returns what webauthn.js would
 * write into the hidden input.
 */

// --- a tiny CBOR encoder (RFC 8949): unsigned/negative integers, byte and text strings, arrays, maps ---

type Cbor = number | string | Uint8Array | readonly Cbor[] | Map<Cbor, Cbor> | { readonly [key: string]: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cborEncode(value: Cbor): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('only integers are supported');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cborEncode)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cborEncode(k as Cbor), cborEncode(v as Cbor)])]);
}

// --- the authenticator -----------------------------------------------------------------------------

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
/** Options carry standard base64 (Kratos) or base64url (SimpleWebAuthn); both decode here. */
const decode = (value: string): Buffer => Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface StoredCredential {
  readonly id: Buffer;
  readonly rpId: string;
  readonly userHandle: Buffer;
  readonly privateKey: KeyObject;
  counter: number;
}

export interface CreationOptions {
  readonly publicKey: {
    readonly challenge: string;
    readonly rp: { readonly id?: string; readonly name: string };
    readonly user: { readonly id: string; readonly name: string; readonly displayName: string };
    readonly excludeCredentials?: readonly { readonly id: string }[];
    readonly authenticatorSelection?: { readonly residentKey?: string; readonly userVerification?: string };
  };
}

export interface RequestOptions {
  readonly publicKey: {
    readonly challenge: string;
    readonly rpId?: string;
    readonly allowCredentials?: readonly { readonly id: string }[];
    readonly userVerification?: string;
  };
}

/** Tweaks for negative tests: a forged origin or RP id, a challenge of another ceremony, a stale counter. */
export interface CeremonyOverrides {
  readonly origin?: string;
  readonly rpId?: string;
  readonly challenge?: string;
  /** Use this counter instead of incrementing the stored one. */
  readonly counter?: number;
}

export class SoftAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(
    private readonly settings: {
      /** The page origin the browser would report in clientDataJSON. */
      readonly origin: string;
      readonly attestation?: 'none' | 'packed';
      /** Whether the authenticator verifies the user (PIN/biometrics): sets the UV flag. */
      readonly userVerification?: boolean;
      readonly aaguid?: Buffer;
    },
  ) {}

  /** `navigator.credentials.create`: a new ES256 credential and its attestation. */
  create(options: CreationOptions, overrides: CeremonyOverrides = {}): Record<string, unknown> {
    const pk = options.publicKey;
    const rpId = overrides.rpId ?? pk.rp.id ?? new URL(this.settings.origin).hostname;
    const excluded = new Set((pk.excludeCredentials ?? []).map((c) => decode(c.id).toString('hex')));
    if (this.credentials.some((c) => c.rpId === rpId && excluded.has(c.id.toString('hex')))) throw new Error('InvalidStateError: credential excluded');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cborEncode(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
    const id = randomBytes(32);
    const credential: StoredCredential = { id, rpId, userHandle: decode(pk.user.id), privateKey, counter: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags() | FLAG_AT]), counterBytes(0), this.settings.aaguid ?? Buffer.alloc(16), idLength, id, cose]);
    const clientDataJSON = this.clientData('webauthn.create', overrides.challenge ?? b64url(decode(pk.challenge)), overrides.origin);
    const packed = this.settings.attestation === 'packed';
    const attStmt: Cbor = packed ? { alg: -7, sig: sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), privateKey) } : {};
    const attestationObject = cborEncode({ fmt: packed ? 'packed' : 'none', attStmt, authData });
    this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      clientExtensionResults: {},
      response: { attestationObject: b64url(attestationObject), clientDataJSON: b64url(clientDataJSON), transports: ['internal'] },
    };
  }

  /**
   * `navigator.credentials.get`: an assertion by the first credential `allowCredentials` names, or
   * (empty list: a discoverable-credential request) by the newest credential for the RP id, with its
   * user handle.
   */
  get(options: RequestOptions, overrides: CeremonyOverrides = {}): Record<string, unknown> {
    const pk = options.publicKey;
    const rpId = pk.rpId ?? new URL(this.settings.origin).hostname;
    const allowed = (pk.allowCredentials ?? []).map((c) => decode(c.id).toString('hex'));
    const candidates = this.credentials.filter((c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.id.toString('hex'))));
    const credential = candidates[candidates.length - 1];
    if (!credential) throw new Error('NotAllowedError: no credential for this request');
    credential.counter = overrides.counter ?? credential.counter + 1;
    const authData = Buffer.concat([sha256(overrides.rpId ?? rpId), Buffer.from([this.flags()]), counterBytes(credential.counter)]);
    const clientDataJSON = this.clientData('webauthn.get', overrides.challenge ?? b64url(decode(pk.challenge)), overrides.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        authenticatorData: b64url(authData),
        clientDataJSON: b64url(clientDataJSON),
        signature: b64url(signature),
        userHandle: allowed.length === 0 ? b64url(credential.userHandle) : undefined,
      },
    };
  }

  private flags(): number {
    return FLAG_UP | (this.settings.userVerification === false ? 0 : FLAG_UV);
  }

  private clientData(type: string, challenge: string, origin?: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: origin ?? this.settings.origin, crossOrigin: false }), 'utf8');
  }
}

function counterBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** The options object of a trigger node's `onclick` (`window.__oryWebAuthn…(<json>)`). */
export function onclickOptions<T>(onclick: string | undefined): T {
  const m = /^window\.__oryWebAuthn(?:Login|Registration)\(([\s\S]*)\)$/.exec(onclick ?? '');
  if (!m) throw new Error(`not a WebAuthn trigger: ${onclick}`);
  return JSON.parse(m[1]) as T;
}
