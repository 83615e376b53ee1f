/**
 * Shape of `credentials` in admin create/update bodies (checked with ajv before anything else runs).
 * `password.config` takes a cleartext `password` or an imported `hashed_password`, never both.
 */
export const credentialsImportSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    password: {
      type: 'object',
      additionalProperties: false,
      required: ['config'],
      properties: {
        config: {
          type: 'object',
          additionalProperties: false,
          properties: {
            password: { type: 'string', minLength: 1, maxLength: 4096 },
            hashed_password: { type: 'string', minLength: 1, maxLength: 4096 },
          },
          oneOf: [{ required: ['password'] }, { required: ['hashed_password'] }],
        },
      },
    },
    oidc: {
      type: 'object',
      additionalProperties: false,
      required: ['config'],
      properties: {
        config: {
          type: 'object',
          additionalProperties: false,
          required: ['providers'],
          properties: {
            providers: {
              type: 'array',
              maxItems: 32,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['provider', 'subject'],
                properties: {
                  provider: { type: 'string', minLength: 1, maxLength: 128 },
                  subject: { type: 'string', minLength: 1, maxLength: 255 },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
