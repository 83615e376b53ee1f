import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Enforces the dependency rule of architecture.md B2 by reading the import lines of every .ts file.
 * `ORDER` lists the domain libraries bottom-up: a domain may import only domains before it.
 */
const ROOT = resolve(__dirname, '..');

/** The domain chains, bottom-up: a domain may import domains before it in its own chain. */
const IDENTITY_CHAIN = ['identity', 'session', 'courier', 'selfservice/flow', 'selfservice/flows', 'selfservice/strategies', 'selfservice/hooks'];
const OAUTH2_CHAIN = ['keys', 'oauth2/client', 'oauth2/trust', 'oauth2/consent', 'oauth2/provider'];
/** The control plane: projects, their API keys and the admin plane's authentication (issue 15). */
const PROJECT_CHAIN = ['project'];
const CHAINS = [IDENTITY_CHAIN, OAUTH2_CHAIN, PROJECT_CHAIN];
const PLATFORM = ['x', 'config', 'http'];

/** npm packages that only one folder may import. */
const OWNED_PACKAGES: Record<string, string[]> = {
  express: ['libs/http', 'apps'],
  typeorm: ['libs/persistence'],
  mysql2: ['libs/persistence'],
  'better-sqlite3': ['libs/persistence'],
  'oidc-provider': ['libs/oauth2/provider'],
  otplib: ['libs/selfservice/strategies/totp'],
  qrcode: ['libs/selfservice/strategies/totp'],
  '@simplewebauthn/server': ['libs/selfservice/strategies/webauthn'],
  bcrypt: ['libs/identity/hasher'],
  argon2: ['libs/identity/hasher'],
  nodemailer: ['libs/courier/channels'],
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** The module a file belongs to: `libs/<lib>` (two levels for selfservice/oauth2), `apps/<app>`, or `test`. */
function moduleOf(file: string): string {
  const rel = relative(ROOT, file).split(sep).join('/');
  const parts = rel.split('/');
  if (parts[0] === 'apps') return `apps/${parts[1]}`;
  if (parts[0] !== 'libs') return parts[0];
  if (parts[1] === 'selfservice' || parts[1] === 'oauth2') return `libs/${parts[1]}/${parts[2]}`;
  return `libs/${parts[1]}`;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

function allowed(from: string, to: string, isTestFile: boolean): boolean {
  if (from === to) return true;
  const lib = (m: string): string => m.replace(/^libs\//, '');
  if (from === 'test' || isTestFile || to === 'package.json') return true;
  // apps/cli is the process entry: it composes the public and admin apps into one process.
  if (from === 'apps/cli') return to.startsWith('libs/') || to === 'apps/public' || to === 'apps/admin';
  if (from.startsWith('apps/')) return to.startsWith('libs/');
  if (from === 'libs/x') return false;
  if (from === 'libs/config' || from === 'libs/http') return to === 'libs/x';
  if (from === 'libs/registry') return to.startsWith('libs/');
  if (from === 'libs/persistence') return to.startsWith('libs/') && to !== 'libs/registry' && to !== 'libs/http';
  if (PLATFORM.includes(lib(to))) return CHAINS.some((c) => position(c, lib(from)) >= 0);
  for (const chain of CHAINS) {
    const fromRank = position(chain, lib(from));
    const toRank = position(chain, lib(to));
    if (fromRank >= 0 && toRank >= 0) return toRank < fromRank;
  }
  // oauth2/provider may read identity and session (findAccount and the interaction bridge); so may the
  // consent layer, which accepts challenges for self-service logins.
  return ['oauth2/provider', 'oauth2/consent'].includes(lib(from)) && ['identity', 'session'].includes(lib(to));
}

function position(chain: readonly string[], module: string): number {
  return chain.findIndex((d) => module === d || module.startsWith(`${d}/`));
}

describe('dependency rule (architecture B2)', () => {
  const files = [...walk(join(ROOT, 'libs')), ...walk(join(ROOT, 'apps'))];

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('keeps every relative import inside the allowed direction', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      const isTestFile = /\.test\.ts$|\/testing\//.test(file);
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = moduleOf(resolve(dirname(file), spec));
        if (!allowed(from, target, isTestFile)) violations.push(`${relative(ROOT, file)} -> ${spec} (${from} may not import ${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps each third-party library inside the folder that owns it', () => {
    const violations: string[] = [];
    for (const file of files) {
      const rel = relative(ROOT, file).split(sep).join('/');
      if (/\.test\.ts$/.test(rel)) continue;
      for (const spec of imports(file)) {
        const owners = OWNED_PACKAGES[spec];
        if (owners && !owners.some((o) => rel.startsWith(o))) violations.push(`${rel} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('lets apps reach libs only through their index', () => {
    const violations: string[] = [];
    for (const file of files.filter((f) => moduleOf(f).startsWith('apps/'))) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(dirname(file), spec)).split(sep).join('/');
        if (target.startsWith('libs/') && target.split('/').length > (/^libs\/(selfservice|oauth2)\//.test(target) ? 3 : 2)) {
          violations.push(`${relative(ROOT, file)} -> ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('catches a violation (self-check of the rule)', () => {
    expect(allowed('libs/x', 'libs/config', false)).toBe(false);
    expect(allowed('libs/identity', 'libs/persistence', false)).toBe(false);
    expect(allowed('libs/session', 'libs/identity', false)).toBe(true);
    expect(allowed('libs/identity', 'libs/session', false)).toBe(false);
    expect(allowed('libs/oauth2/client', 'libs/keys', false)).toBe(true);
    expect(allowed('libs/keys', 'libs/oauth2/client', false)).toBe(false);
    expect(allowed('libs/oauth2/client', 'libs/identity', false)).toBe(false);
    expect(allowed('libs/oauth2/provider', 'libs/session', false)).toBe(true);
    expect(allowed('libs/selfservice/flows', 'libs/oauth2/provider', false)).toBe(false);
    expect(allowed('libs/config', 'libs/http', false)).toBe(false);
  });
});

/** The methods of the exported interfaces in `text`: name and parameter list (a two-space-indented signature). */
function interfaceMethods(text: string): { name: string; params: string }[] {
  const methods: { name: string; params: string }[] = [];
  for (const block of text.matchAll(/^export interface \w+[^{]*\{\n([\s\S]*?)^\}/gm)) {
    for (const m of block[1].matchAll(/^ {2}(\w+)(?:<[^>]*>)?\(([^)]*)/gm)) methods.push({ name: m[1], params: m[2].trim() });
  }
  return methods;
}

/** Store ports whose methods break the request-context rule: `ctx: Ctx` first, never `tx?: Transaction`. */
function ctxViolations(file: string, text: string): string[] {
  const violations = interfaceMethods(text)
    .filter((m) => !/^ctx: Ctx\b/.test(m.params))
    .map((m) => `${file}: ${m.name}(${m.params}) does not take ctx: Ctx first`);
  if (/\btx\??: Transaction\b/.test(text)) violations.push(`${file}: takes tx: Transaction instead of ctx: Ctx`);
  return violations;
}

describe('request context (realms.md: Ctx is the first parameter of every store method)', () => {
  const ports = [...walk(join(ROOT, 'libs'))].filter((f) => /(-stores?|\/identity-pool)\.ts$/.test(f) && !f.includes(`${sep}persistence${sep}`));

  it('finds the store ports', () => {
    expect(ports.length).toBeGreaterThan(8);
    expect(ports.map((f) => relative(ROOT, f).split(sep).join('/'))).toEqual(expect.arrayContaining(['libs/identity/identity-pool.ts', 'libs/session/session-store.ts']));
  });

  it('gives every store port method ctx: Ctx as its first parameter, and none a tx', () => {
    const violations = ports.flatMap((f) => ctxViolations(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('catches a violation (self-check of the rule)', () => {
    const port = 'export interface S {\n  get(ctx: Ctx, id: string): Promise<void>;\n  put(\n    ctx: Ctx,\n    id: string,\n  ): Promise<void>;\n}\n';
    expect(ctxViolations('s.ts', port)).toEqual([]);
    expect(ctxViolations('s.ts', 'export interface S {\n  get(id: string, tx?: Transaction): Promise<void>;\n}\n')).toHaveLength(2);
    expect(ctxViolations('s.ts', 'export interface S {\n  list(): Promise<void>;\n}\n')).toEqual(['s.ts: list() does not take ctx: Ctx first']);
  });
});

/**
 * Raw statements of a store file that are not scoped by the realm: every string that starts a SELECT, UPDATE
 * or DELETE must mention `nid`, and every `insertSql`/`upsertSql` call must write it (comments are ignored).
 */
function realmViolations(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const violations: string[] = [];
  for (const m of code.matchAll(/(['`])((?:SELECT|UPDATE|DELETE)\b[\s\S]*?)\1/g)) {
    if (!/\bnid\b/.test(m[2])) violations.push(`${file}: ${m[2].slice(0, 60)} is not scoped by nid`);
  }
  for (const m of code.matchAll(/\b(?:insertSql|upsertSql)\(([^;]*?)\);/g)) {
    if (!/'nid'/.test(m[1])) violations.push(`${file}: ${m[0].slice(0, 60)} does not write nid`);
  }
  return violations;
}

describe('realm data (issue 14: every raw statement of a store is scoped by nid)', () => {
  // Secrets are process-wide (they protect every realm's cookies and keys); `realms` is the list of realms itself;
  // `projects` is the control plane over realms (a row's `nid` is the realm it describes, not the caller's).
  const processWide = ['secret-store.ts', 'realm-store.ts', 'project-store.ts'];
  const stores = [...walk(join(ROOT, 'libs', 'persistence', 'stores'))].filter((f) => f.endsWith('.ts') && !processWide.some((p) => f.endsWith(p)));

  it('finds the stores', () => {
    expect(stores.length).toBeGreaterThan(10);
  });

  it('mentions nid in every raw SELECT, UPDATE, DELETE and generated INSERT (secrets and the realm list are process-wide)', () => {
    const violations = stores.flatMap((f) => realmViolations(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('catches a violation (self-check of the rule)', () => {
    expect(realmViolations('s.ts', "read('SELECT id FROM t WHERE nid = ? AND id = ?')\n// SELECT … FOR UPDATE\n")).toEqual([]);
    expect(realmViolations('s.ts', 'const Q = `DELETE FROM ${T} WHERE id = ?`;')).toHaveLength(1);
    expect(realmViolations('s.ts', "this.sql = upsertSql(d, 't', ['id'], ['a']);")).toHaveLength(1);
    expect(realmViolations('s.ts', "this.sql = upsertSql(d, 't', ['nid', 'id'], ['a']);")).toEqual([]);
  });
});
