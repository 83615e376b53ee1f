import { bootOAuth2 } from '../../helpers/oauth2';
it('dbg', async () => {
  const server = await bootOAuth2();
  const res = await fetch(`${server.adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_types: ['client_credentials'], scope: 'api:read api:write', audience: ['https://api.example.com'] }) });
  console.log(res.status, await res.text());
  await server.close();
});
