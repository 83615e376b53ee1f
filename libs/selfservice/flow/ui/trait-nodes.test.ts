import { traitNodes } from './trait-nodes';

describe('traitNodes', () => {
  const schema = {
    properties: {
      traits: {
        type: 'object',
        required: ['email'],
        properties: {
          email: { type: 'string', format: 'email', title: 'E-Mail' },
          phone: { type: 'string', format: 'tel' },
          age: { type: 'integer' },
          newsletter: { type: 'boolean' },
          website: { type: 'string', format: 'uri', pattern: '^https://' },
          name: { type: 'object', required: ['first'], properties: { first: { type: 'string' }, last: { type: 'string', disableFormField: true } } },
        },
      },
    },
  };

  it('maps types and formats, required, patterns, labels and nested paths', () => {
    const nodes = traitNodes(schema, 'password', { email: 'a@b.co', name: { first: 'Ann' } });
    const byName = Object.fromEntries(nodes.map((n) => [(n.attributes as { name: string }).name, n]));
    expect(Object.keys(byName)).toEqual(['traits.email', 'traits.phone', 'traits.age', 'traits.newsletter', 'traits.website', 'traits.name.first', 'traits.name.last']);
    expect(byName['traits.email'].attributes).toMatchObject({ type: 'email', autocomplete: 'email', required: true, value: 'a@b.co' });
    expect(byName['traits.email'].meta.label).toEqual({ id: 1070002, text: 'E-Mail', type: 'info' });
    expect(byName['traits.phone'].attributes).toMatchObject({ type: 'tel', autocomplete: 'tel' });
    expect(byName['traits.age'].attributes).toMatchObject({ type: 'number' });
    expect(byName['traits.newsletter'].attributes).toMatchObject({ type: 'checkbox' });
    expect(byName['traits.website'].attributes).toMatchObject({ type: 'url', pattern: '^https://' });
    expect(byName['traits.name.first'].attributes).toMatchObject({ required: true, value: 'Ann' });
    expect(byName['traits.name.last'].attributes).toMatchObject({ disabled: true });
    expect(byName['traits.phone'].attributes).not.toHaveProperty('required');
    expect(nodes.every((n) => n.group === 'password' && n.messages.length === 0)).toBe(true);
  });

  it('returns nothing for a schema without traits', () => {
    expect(traitNodes({}, 'default')).toEqual([]);
  });
});
