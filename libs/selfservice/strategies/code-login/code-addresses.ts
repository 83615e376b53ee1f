import { type AddressVia, normalizeIdentifier } from '../../../identity';

/** An address one-time login codes can be sent to, from a trait marked `credentials.code.identifier`. */
export interface CodeAddress {
  /** Normalised (trimmed, lower-cased), as stored in credential identifiers and addresses. */
  readonly value: string;
  /** `sms` when the trait says `"via": "sms"`, otherwise `email`. */
  readonly via: AddressVia;
}

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly 'ory.sh/kratos'?: { readonly credentials?: { readonly code?: { readonly identifier?: boolean; readonly via?: string } } };
}

/**
 * The code addresses of `traits` under an identity schema, in schema order, without duplicates. The
 * identity extension only collects the identifiers (`ext.identifiers.get('code')`); this also reads each
 * one's channel (Kratos `"code": {"identifier": true, "via": "sms"}`), following nested objects and arrays.
 */
export function codeAddresses(schema: Readonly<Record<string, unknown>>, traits: unknown): CodeAddress[] {
  const out: CodeAddress[] = [];
  const visit = (node: SchemaNode | undefined, value: unknown): void => {
    if (!node || value === undefined || value === null) return;
    const code = node['ory.sh/kratos']?.credentials?.code;
    if (code?.identifier && typeof value === 'string' && value.trim() !== '') {
      const address: CodeAddress = { value: normalizeIdentifier(value), via: code.via === 'sms' ? 'sms' : 'email' };
      if (!out.some((a) => a.value === address.value && a.via === address.via)) out.push(address);
    }
    if (node.properties && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, (value as Record<string, unknown>)[key]);
    }
    if (node.items && Array.isArray(value)) for (const item of value) visit(node.items, item);
  };
  visit((schema.properties as Record<string, SchemaNode> | undefined)?.traits, traits);
  return out;
}
