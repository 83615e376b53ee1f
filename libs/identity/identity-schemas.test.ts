import { resolve } from 'node:path';
import Ajv from 'ajv';
import { IdentitySchemaError, IdentitySchemas, TraitsValidationError, VALIDATOR_CACHE_SIZE } from './identity-schemas';

const file = (name: string): string => `file://${resolve(__dirname, '../../schemas', name)}`;
const b64 = (schema: object): string => `base64://${Buffer.from(JSON.stringify(schema)).toString('base64')}`;

describe('IdentitySchemas', () => {
  const schemas = IdentitySchemas.load(
    [
      { id: 'default', url: file('identity.default.schema.json') },
      { id: 'customer', url: file('identity.username-phone.schema.json') },
    ],
    'default',
  );

  it('reads identifiers and addresses from the ory.sh/kratos extension, lower-cased', () => {
    const ext = schemas.validateTraits('default', { email: 'Bob@Example.COM' });
    expect(ext.identifiers.get('password')).toEqual(['bob@example.com']);
    expect(ext.identifiers.get('webauthn')).toEqual(['bob@example.com']);
    expect(ext.identifiers.get('code')).toEqual(['bob@example.com']);
    expect(ext.verifiable).toEqual([{ value: 'bob@example.com', via: 'email' }]);
    expect(ext.recovery).toEqual([{ value: 'bob@example.com', via: 'email' }]);
    expect(ext.totpAccountName).toBe('Bob@Example.COM');
  });

  it('handles the username + phone example', () => {
    const ext = schemas.validateTraits('customer', { username: 'Carol_1', phone: '+4915112345678', email: 'c@example.com' });
    expect(ext.identifiers.get('password')).toEqual(['carol_1']);
    expect(ext.identifiers.get('code')).toEqual(['+4915112345678']);
    expect(ext.verifiable).toEqual([
      { value: '+4915112345678', via: 'sms' },
      { value: 'c@example.com', via: 'email' },
    ]);
    expect(ext.recovery).toEqual([{ value: 'c@example.com', via: 'email' }]);
    expect(() => schemas.validateTraits('customer', { username: 'ok_name', phone: '12' })).toThrow(TraitsValidationError);
  });

  it('reports violations in Kratos wording', () => {
    try {
      schemas.validateTraits('default', { email: 'nope', extra: 1 });
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(TraitsValidationError);
      const message = (e as Error).message;
      expect(message).toContain('I[#/traits/email] S[#/properties/traits/properties/email/format] "nope" is not valid "email"');
      expect(message).toContain('additionalProperties "extra" not allowed');
    }
    expect(() => schemas.validateTraits('default', {})).toThrow(/missing properties: "email"/);
    expect(() => schemas.validateTraits('default', 'a string')).toThrow(TraitsValidationError);
  });

  it('finds schemas by id or base64url id, and lists them in order', () => {
    expect(schemas.find('default')?.id).toBe('default');
    expect(schemas.find('ZGVmYXVsdA')?.id).toBe('default');
    expect(schemas.find('missing')).toBeUndefined();
    expect(schemas.list().map((s) => s.id)).toEqual(['default', 'customer']);
    expect(schemas.list()[0].schema).toHaveProperty(['properties', 'traits', 'properties', 'email', 'ory.sh/kratos']);
  });

  it('loads base64:// schemas', () => {
    const inline = IdentitySchemas.load([{ id: 'inline', url: b64({ type: 'object', properties: { traits: { type: 'object', properties: { n: { type: 'string' } } } } }) }], 'inline');
    expect(inline.validateTraits('inline', { n: 'x' }).verifiable).toEqual([]);
  });

  it('stops boot on a bad schema, naming it', () => {
    expect(() => IdentitySchemas.load([{ id: 'gone', url: 'file:///nonexistent.json' }], 'gone')).toThrow(/identity schema "gone": cannot read/);
    expect(() => IdentitySchemas.load([{ id: 'broken', url: 'base64://bm90IGpzb24=' }], 'broken')).toThrow(/identity schema "broken": not valid JSON/);
    expect(() => IdentitySchemas.load([{ id: 'notraits', url: b64({ type: 'object' }) }], 'notraits')).toThrow(/identity schema "notraits": properties.traits/);
    expect(() =>
      IdentitySchemas.load([{ id: 'badtype', url: b64({ properties: { traits: { type: 'object', properties: { a: { type: 'nonsense' } } } } }) }], 'badtype'),
    ).toThrow(/identity schema "badtype": does not compile \(schema is invalid: data\/properties\/traits\/properties\/a\/type must be equal to one of the allowed values/);
    expect(() =>
      IdentitySchemas.load([{ id: 'badmin', url: b64({ properties: { traits: { type: 'object', properties: { a: { type: 'string', minLength: -1 } } } } }) }], 'badmin'),
    ).toThrow(/identity schema "badmin": does not compile \(schema is invalid: data\/properties\/traits\/properties\/a\/minLength must be >= 0/);
    expect(() => IdentitySchemas.load([{ id: 'badmin', url: b64({ properties: { traits: { type: 'object', properties: { a: { minLength: -1 } } } } }) }], 'badmin')).toThrow(IdentitySchemaError);
    expect(() => IdentitySchemas.load([{ id: 'a', url: file('identity.default.schema.json') }], 'b')).toThrow(/identity.default_schema_id/);
  });

  it('compiles a schema document once for every realm that uses it (bounded), and validates the same with the shared copy', () => {
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    try {
      const schema = { type: 'object', properties: { traits: { type: 'object', properties: { shared: { type: 'string', minLength: 2 } } } } };
      const realms = Array.from({ length: 5 }, () => IdentitySchemas.load([{ id: 'default', url: b64(schema) }], 'default'));
      expect(compile).toHaveBeenCalledTimes(1);
      for (const realm of realms) {
        expect(() => realm.validateTraits('default', { shared: 'x' })).toThrow(TraitsValidationError);
        expect(realm.validateTraits('default', { shared: 'xy' }).identifiers.size).toBe(0);
      }
      // Another document is compiled on its own; the cache keeps VALIDATOR_CACHE_SIZE documents at most.
      IdentitySchemas.load([{ id: 'default', url: b64({ ...schema, title: 'other' }) }], 'default');
      expect(compile).toHaveBeenCalledTimes(2);
      for (let i = 0; i < VALIDATOR_CACHE_SIZE; i++) IdentitySchemas.load([{ id: 'd', url: b64({ ...schema, title: `n${i}` }) }], 'd');
      compile.mockClear();
      IdentitySchemas.load([{ id: 'default', url: b64(schema) }], 'default'); // evicted by then: compiled again
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });
});
