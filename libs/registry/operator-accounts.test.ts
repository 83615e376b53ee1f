import { makeIdentity } from '../identity/testing/identity-pool.contract';
import { cloudAccountOf } from './operator-accounts';

describe('cloudAccountOf (an operator account as the project API shows it)', () => {
  it('takes the email trait and a string name trait', () => {
    const identity = makeIdentity('ada@example.com', { traits: { email: 'ada@example.com', name: ' Ada Lovelace ' } });
    expect(cloudAccountOf(identity)).toEqual({ id: identity.id, email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it.each([
    [{ name: { first: 'Ada', last: 'Lovelace' } }, 'Ada Lovelace'],
    [{ name: { first: 'Ada' } }, 'Ada'],
    [{ first_name: 'Ada', last_name: 'Lovelace' }, 'Ada Lovelace'],
    [{ name: { given_name: 'Ada', family_name: 'Lovelace' } }, 'Ada Lovelace'],
    [{ name: 42 }, ''],
    [{}, ''],
  ])('joins first and last name traits: %j → %j', (extra, name) => {
    const identity = makeIdentity('ada@example.com', { traits: { email: 'ada@example.com', ...extra } });
    expect(cloudAccountOf(identity).name).toBe(name);
  });

  it('falls back to the first email verifiable address, then to an empty string', () => {
    const withAddress = makeIdentity('ada@example.com', { traits: { username: 'ada' } });
    expect(cloudAccountOf(withAddress).email).toBe('ada@example.com');
    const without = makeIdentity('ada@example.com', { traits: { username: 'ada' }, verifiableAddresses: [] });
    expect(cloudAccountOf(without)).toEqual({ id: without.id, email: '', name: '' });
  });
});
