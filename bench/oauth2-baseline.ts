/**
 * The bare oidc-provider baseline for `bench/oauth2.ts`: the same engine version and paths, with its
 * builtin in-memory adapter, static clients and no Tessera code — the ceiling Tessera is compared to.
 * Started as a child process; prints `READY <port>` when listening. Interactions are answered
 * server-side by uid, the same technique Tessera's admin API uses.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';

type Engine = typeof import('oidc-provider');

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Provider } = require('oidc-provider') as Engine;
  const keys = [];
  for (const alg of ['ES256', 'RS256'] as const) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    keys.push({ ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `baseline-${alg}` });
  }
  const port = Number(process.env.PORT ?? 0);
  const issuer = `http://127.0.0.1:${port}/`;
  const provider = new Provider(issuer, {
    jwks: { keys },
    clients: [
      { client_id: 'cc', client_secret: 'cc-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'api:read' },
      { client_id: 'web', client_secret: 'web-secret', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://rp.example/cb'], scope: 'openid offline_access' },
    ],
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    scopes: ['openid', 'offline_access', 'api:read'],
    routes: { authorization: '/oauth2/auth', token: '/oauth2/token', introspection: '/oauth2/introspect', jwks: '/.well-known/jwks.json' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      dPoP: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: async () => ({ scope: 'api:read', audience: 'https://api.test', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
      },
    },
    interactions: { url: async (_ctx: KoaContextWithOIDC, i: { uid: string; prompt: { name: string } }) => `https://ui.example/${i.prompt.name}?challenge=${i.uid}` },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    ttl: { AccessToken: 3600, ClientCredentials: 3600, AuthorizationCode: 600, IdToken: 3600, RefreshToken: 86400, Interaction: 1800, Session: 86400, Grant: 86400 },
    expiresWithSession: async () => false,
  });
  provider.proxy = true;
  const callback = provider.callback();

  /** `PUT /bench/{login|consent}?challenge=` answers an interaction as Tessera's admin API does. */
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', issuer);
    const i = await provider.Interaction.find(url.searchParams.get('challenge') ?? '');
    if (!i) {
      res.writeHead(404).end();
      return;
    }
    if (url.pathname === '/bench/login') {
      i.result = { login: { accountId: 'bench-user' } };
    } else {
      const grant = new provider.Grant({ accountId: 'bench-user', clientId: String(i.params.client_id) });
      grant.addOIDCScope(String(i.params.scope));
      i.result = { ...i.lastSubmission, consent: { grantId: await grant.save() } };
    }
    await i.save(i.exp - Math.floor(Date.now() / 1000));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ redirect_to: i.returnTo }));
  };

  const server = createServer((req, res) => {
    if (req.url?.startsWith('/bench/')) void answer(req, res);
    else callback(req, res);
  }).listen(port, '127.0.0.1', () => process.stdout.write(`READY ${port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
