import { adminScopeAllows, isOpenAdminPath } from './admin-scope';

const operator = { kind: 'operator', id: 'operator:1' } as const;
const acmeKey = { kind: 'project_api_key', id: 'k', realm: 'acme' } as const;

describe('admin scope', () => {
  it('lets an operator key reach every realm and the control plane', () => {
    for (const [realm, path] of [
      ['default', '/admin/identities'],
      ['default', '/projects'],
      ['default', '/admin/realms'],
      ['acme', '/admin/identities'],
      ['other', '/admin/clients'],
    ]) {
      expect(adminScopeAllows(operator, realm, path)).toBe(true);
    }
  });

  it("lets a project key reach its own realm's admin API, Kratos and Hydra paths", () => {
    for (const path of ['/admin/identities', '/admin/clients', '/admin/oauth2/introspect', '/admin/keys/hydra.openid.id-token', '/admin/courier/messages']) {
      expect(adminScopeAllows(acmeKey, 'acme', path)).toBe(true);
    }
  });

  it('keeps a project key out of another project, the default realm and the control plane, however the path is spelled', () => {
    expect(adminScopeAllows(acmeKey, 'other', '/admin/identities')).toBe(false);
    expect(adminScopeAllows(acmeKey, 'default', '/admin/identities')).toBe(false);
    expect(adminScopeAllows({ ...acmeKey, realm: 'default' }, 'default', '/admin/identities')).toBe(false);
    for (const path of ['/projects', '/projects/acme/tokens', '/PROJECTS/acme/tokens', '/%70rojects', '//projects', '/admin/realms', '/Admin/Realms/acme', '/admin//realms', '/admin/%72ealms']) {
      expect(adminScopeAllows(acmeKey, 'acme', path)).toBe(false);
    }
  });

  it("lets an operator's session reach the project API of the default realm's address only", () => {
    const session = { kind: 'operator_session', id: 'identity-1' } as const;
    for (const path of ['/projects', '/projects/acme', '/projects/acme/members', '/projects/acme/tokens', '/PROJECTS/acme', '//projects']) {
      expect(adminScopeAllows(session, 'default', path)).toBe(true);
    }
    for (const [realm, path] of [
      ['default', '/admin/identities'],
      ['default', '/admin/realms'],
      ['default', '/admin/%72ealms'],
      ['default', '/admin/clients'],
      ['default', '/projectsx'],
      ['acme', '/admin/identities'],
      ['acme', '/projects'],
    ]) {
      expect([realm, path, adminScopeAllows(session, realm, path)]).toEqual([realm, path, false]);
    }
  });

  it('opens only liveness, readiness and version', () => {
    for (const path of ['/health/alive', '/health/ready', '/version', '/health/ready/']) expect(isOpenAdminPath(path)).toBe(true);
    for (const path of ['/health', '/health/alive/x', '/admin/identities', '/versions', '/projects']) expect(isOpenAdminPath(path)).toBe(false);
  });
});
