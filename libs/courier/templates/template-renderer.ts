/** Thrown when a template cannot be parsed; the message says where and why. */
export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/** Turns a field's text into output text (HTML-escape, JSON-escape, URL-encode, or nothing). */
export type Escaper = (value: string) => string;

/** A parsed template; rendering never throws and never evaluates anything but field look-ups. */
export interface CompiledTemplate {
  render(view: Readonly<Record<string, unknown>>, escape: Escaper): string;
}

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'if'; readonly path: readonly string[]; readonly then: Node[]; readonly otherwise: Node[] };

const ACTION = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
const PATH = /^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/;

/** Escapes `& < > " '` so a field can sit in HTML text or a quoted attribute. */
export const escapeHtml: Escaper = (value) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Leaves the text as it is (plain-text bodies, subjects). */
export const noEscape: Escaper = (value) => value;

/**
 * Compiles a template in the subset of Go's text/template that Kratos's built-in templates use:
 * `{{ .Field }}` and `{{ .Identity.traits.email }}` (a leading dot is optional, so `{{ to }}` works too),
 * `{{ if .Field }}…{{ else }}…{{ end }}`, Go template comments and the `{{-`/`-}}` whitespace trims.
 * The first path segment matches a view key ignoring case and underscores (`.RecoveryURL` = `recovery_url`).
 *
 * Invariant: fields are the only dynamic output and each passes through the caller's escaper, so an
 * HTML body rendered with `escapeHtml` cannot gain markup from a field.
 * @param knownRoots when given, a field whose first segment is not among them is a syntax error.
 * @throws TemplateSyntaxError for anything else inside `{{ }}`, an unclosed `if` or a stray `else`/`end`.
 */
export function compileTemplate(source: string, knownRoots?: readonly string[]): CompiledTemplate {
  const root: Node[] = [];
  const stack: { nodes: Node[]; node?: { then: Node[]; otherwise: Node[] }; inElse: boolean }[] = [{ nodes: root, inElse: false }];
  const known = knownRoots ? new Set(knownRoots.map(normalize)) : undefined;
  let last = 0;
  let trimNext = false;
  const parsePath = (expr: string): string[] => {
    if (!PATH.test(expr)) throw new TemplateSyntaxError(`unsupported template action {{ ${expr} }} (only fields, if, else, end)`);
    const path = expr.replace(/^\./, '').split('.');
    if (known && !known.has(normalize(path[0]))) {
      throw new TemplateSyntaxError(`unknown field .${path[0]} (known: ${(knownRoots ?? []).map((r) => `.${r}`).join(', ')})`);
    }
    return path;
  };
  for (const match of source.matchAll(ACTION)) {
    const [whole, trimLeft, expr, trimRight] = match;
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (trimLeft) text = text.replace(/\s+$/, '');
    const top = stack[stack.length - 1];
    if (text) top.nodes.push({ kind: 'text', text });
    last = (match.index ?? 0) + whole.length;
    trimNext = trimRight === '-';
    if (/^\/\*[\s\S]*\*\/$/.test(expr)) continue;
    const ifMatch = /^if\s+(\S+)$/.exec(expr);
    if (ifMatch) {
      const node = { kind: 'if' as const, path: parsePath(ifMatch[1]), then: [] as Node[], otherwise: [] as Node[] };
      top.nodes.push(node);
      stack.push({ nodes: node.then, node, inElse: false });
    } else if (expr === 'else') {
      if (!top.node || top.inElse) throw new TemplateSyntaxError('{{ else }} outside an {{ if }}');
      top.nodes = top.node.otherwise;
      top.inElse = true;
    } else if (expr === 'end') {
      if (stack.length === 1) throw new TemplateSyntaxError('{{ end }} without an {{ if }}');
      stack.pop();
    } else {
      top.nodes.push({ kind: 'field', path: parsePath(expr) });
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError('{{ if }} without {{ end }}');
  let rest = source.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  if (/\{\{|\}\}/.test(rest)) throw new TemplateSyntaxError('unbalanced {{ or }}');
  if (rest) root.push({ kind: 'text', text: rest });
  return { render: (view, escape) => renderNodes(root, view, escape) };
}

function renderNodes(nodes: readonly Node[], view: Readonly<Record<string, unknown>>, escape: Escaper): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'field') out += escape(toText(lookup(view, node.path)));
    else out += renderNodes(truthy(lookup(view, node.path)) ? node.then : node.otherwise, view, escape);
  }
  return out;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/_/g, '');
}

function lookup(view: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let current: unknown = view;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    const record = current as Record<string, unknown>;
    if (Object.hasOwn(record, segment)) {
      current = record[segment];
      continue;
    }
    const key = Object.keys(record).find((k) => normalize(k) === normalize(segment));
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** Go's truthiness: empty strings, zero, false, nil and empty collections are false. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}
