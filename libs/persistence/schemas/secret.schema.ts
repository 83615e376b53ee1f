import { EntitySchema } from 'typeorm';

export interface SecretRow {
  kind: string;
  value: string[];
  created_at: Date;
}

export const SecretSchema = new EntitySchema<SecretRow>({
  name: 'Secret',
  tableName: 'secrets',
  columns: {
    kind: { type: 'varchar', length: 32, primary: true },
    value: { type: 'simple-json' },
    created_at: { type: 'datetime', precision: 3 },
  },
});
