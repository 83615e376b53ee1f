import type { UiText } from './ui-text';

/** Node groups (Kratos `node.Group`). */
export type UiNodeGroup = 'default' | 'password' | 'oidc' | 'profile' | 'link' | 'code' | 'totp' | 'lookup_secret' | 'webauthn';

/** Attributes of an `input` node; `node_type` mirrors the node type. */
export interface UiInputAttributes {
  readonly name: string;
  readonly type: 'text' | 'password' | 'number' | 'checkbox' | 'hidden' | 'email' | 'tel' | 'submit' | 'button' | 'datetime-local' | 'date' | 'url';
  readonly value?: unknown;
  readonly required?: boolean;
  readonly autocomplete?: 'email' | 'tel' | 'url' | 'current-password' | 'new-password' | 'one-time-code';
  readonly pattern?: string;
  readonly disabled: boolean;
  readonly onclick?: string;
  readonly node_type: 'input';
}

/** One UI node. `messages` is always an array and `meta` always an object, as Kratos marshals them. */
export interface UiNode {
  readonly type: 'input' | 'text' | 'img' | 'a' | 'script';
  readonly group: UiNodeGroup;
  readonly attributes: UiInputAttributes | Readonly<Record<string, unknown>>;
  readonly messages: readonly UiText[];
  readonly meta: { readonly label?: UiText };
}

/** The form a UI renders: where to post, the nodes, and flow-level messages. */
export interface UiContainer {
  readonly action: string;
  readonly method: 'POST';
  readonly nodes: readonly UiNode[];
  readonly messages: readonly UiText[];
}

export interface InputOptions {
  readonly value?: unknown;
  readonly required?: boolean;
  readonly autocomplete?: UiInputAttributes['autocomplete'];
  readonly pattern?: string;
  readonly disabled?: boolean;
  readonly label?: UiText;
}

/** Builds an input node. */
export function inputNode(group: UiNodeGroup, name: string, type: UiInputAttributes['type'], options: InputOptions = {}): UiNode {
  const attributes: UiInputAttributes = {
    name,
    type,
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.required ? { required: true } : {}),
    ...(options.autocomplete ? { autocomplete: options.autocomplete } : {}),
    ...(options.pattern ? { pattern: options.pattern } : {}),
    disabled: options.disabled ?? false,
    node_type: 'input',
  };
  return { type: 'input', group, attributes, messages: [], meta: options.label ? { label: options.label } : {} };
}

/** Builds an `img` node (e.g. the TOTP QR code as a `data:` URL). */
export function imageNode(group: UiNodeGroup, id: string, src: string, size: { width: number; height: number }, label?: UiText): UiNode {
  return { type: 'img', group, attributes: { src, id, width: size.width, height: size.height, node_type: 'img' }, messages: [], meta: label ? { label } : {} };
}

/** Builds a `text` node: read-only text for the UI (a TOTP secret, a list of recovery codes). */
export function textNode(group: UiNodeGroup, id: string, text: UiText, label?: UiText): UiNode {
  return { type: 'text', group, attributes: { text, id, node_type: 'text' }, messages: [], meta: label ? { label } : {} };
}

/** The hidden `csrf_token` node every flow carries (value `""` on API flows). */
export function csrfNode(maskedToken: string): UiNode {
  return inputNode('default', 'csrf_token', 'hidden', { value: maskedToken, required: true });
}

/** The name attribute of an input node, if it is one. */
export function nodeName(node: UiNode): string | undefined {
  return node.type === 'input' ? ((node.attributes as UiInputAttributes).name ?? undefined) : undefined;
}
