import { type UiInputAttributes, type UiNode, type UiNodeGroup, inputNode } from './ui-node';
import { messages } from './ui-text';

interface PropertySchema {
  type?: string | string[];
  format?: string;
  title?: string;
  pattern?: string;
  properties?: Record<string, PropertySchema>;
  required?: string[];
  disableFormField?: boolean;
}

/**
 * Input nodes for every leaf under `properties.traits` of an identity schema (Kratos §3c): dotted names
 * (`traits.name.first`), input types from type/format, `required` from the parent, labels from `title`.
 * `values` prefill the inputs (echoing a submission or showing current traits).
 */
export function traitNodes(schema: Record<string, unknown>, group: UiNodeGroup, values: Record<string, unknown> = {}): UiNode[] {
  const traits = (schema.properties as Record<string, PropertySchema> | undefined)?.traits;
  if (!traits?.properties) return [];
  const out: UiNode[] = [];
  const walk = (node: PropertySchema, path: string[], required: readonly string[]): void => {
    for (const [key, prop] of Object.entries(node.properties ?? {})) {
      const here = [...path, key];
      const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
      if (type === 'object' && prop.properties) {
        walk(prop, here, prop.required ?? []);
        continue;
      }
      const { inputType, autocomplete } = inputTypeOf(key, type, prop.format);
      const value = here.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], values);
      out.push(
        inputNode(group, `traits.${here.join('.')}`, inputType, {
          value,
          required: required.includes(key),
          autocomplete,
          pattern: prop.pattern,
          disabled: prop.disableFormField === true,
          label: prop.title ? messages.labelGenerated(prop.title) : undefined,
        }),
      );
    }
  };
  walk(traits, [], traits.required ?? []);
  return out;
}

function inputTypeOf(key: string, type: string | undefined, format: string | undefined): { inputType: UiInputAttributes['type']; autocomplete?: UiInputAttributes['autocomplete'] } {
  switch (format) {
    case 'email':
      return { inputType: 'email', autocomplete: 'email' };
    case 'tel':
      return { inputType: 'tel', autocomplete: 'tel' };
    case 'date':
      return { inputType: 'date' };
    case 'date-time':
      return { inputType: 'datetime-local' };
    case 'uri':
      return { inputType: 'url', autocomplete: 'url' };
  }
  if (key === 'password') return { inputType: 'password' };
  if (type === 'number' || type === 'integer') return { inputType: 'number' };
  if (type === 'boolean') return { inputType: 'checkbox' };
  return { inputType: 'text' };
}
