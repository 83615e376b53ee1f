import { createHash, randomInt } from 'node:crypto';

/** A project API key as stored: never its value, only the SHA-256 of it. */
export interface ProjectApiKey {
  readonly id: string;
  /** The realm of the project the key belongs to (the `nid` of its row). */
  readonly realm: string;
  readonly name: string;
  /** Who created it: the actor's id (an operator key's id, or a signed-in operator account). */
  readonly ownerId: string;
  /** SHA-256 hex of the value. */
  readonly keyHash: string;
  readonly createdAt: Date;
}

/** `ProjectApiKey` of `@ory/client`: `value` only in the answer that creates the key. */
export interface ProjectApiKeyWire {
  readonly id: string;
  readonly name: string;
  readonly owner_id: string;
  readonly project_id: string;
  readonly value?: string;
}

/** Ory Network's prefix of project API keys ("personal access token"). */
export const PROJECT_API_KEY_PREFIX = 'ory_pat_';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 43 base62 characters: more than 256 bits from the CSPRNG. */
const VALUE_LENGTH = 43;

/** A new key value: `ory_pat_` and 43 random base62 characters. Shown once, never stored. */
export function newProjectApiKeyValue(): string {
  let out = PROJECT_API_KEY_PREFIX;
  for (let i = 0; i < VALUE_LENGTH; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** What is stored and looked up: SHA-256 hex of the value (high entropy: no slow KDF needed). */
export function hashProjectApiKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
