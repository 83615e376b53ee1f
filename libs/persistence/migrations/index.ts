import { CreateSecrets1700000000001 } from './1700000000001-create-secrets';
import { CreateIdentities1700000000002 } from './1700000000002-create-identities';
import { CreateSessionsAndFlows1700000000003 } from './1700000000003-create-sessions-and-flows';
import { CreateCourierMessages1700000000004 } from './1700000000004-create-courier-messages';
import { CreateSelfServiceTokens1700000000005 } from './1700000000005-create-selfservice-tokens';
import { CreateOAuth2KeysAndClients1700000000006 } from './1700000000006-create-oauth2-keys-and-clients';
import { CreateOAuth2Flows1700000000007 } from './1700000000007-create-oauth2-flows';
import { PartialOidcPayloadIndexes1700000000008 } from './1700000000008-partial-oidc-payload-indexes';
import { CreateOAuth2Trust1700000000010 } from './1700000000010-create-oauth2-trust';
import { ConsentRememberedIndex1700000000011 } from './1700000000011-consent-remembered-index';
import { CreateOAuth2ForcedSubjects1700000000012 } from './1700000000012-create-oauth2-forced-subjects';
import { WidenIdentifierColumns1700000000013 } from './1700000000013-widen-identifier-columns';
import { AddOAuth2ClientSkipLogoutConsent1700000000014 } from './1700000000014-add-oauth2-client-skip-logout-consent';
import { RealmColumn1700000000015 } from './1700000000015-realm-column';
import { CreateRealms1700000000016 } from './1700000000016-create-realms';
import { CreateProjects1700000000017 } from './1700000000017-create-projects';
import { CreateProjectApiKeys1700000000018 } from './1700000000018-create-project-api-keys';
import { KeysetListIndexes1700000000019 } from './1700000000019-keyset-list-indexes';
import { CleanupIndexes1700000000021 } from './1700000000021-cleanup-indexes';
import { CreateProjectMembers1700000000022 } from './1700000000022-create-project-members';

/** Every migration, oldest first (one per line; keep the list sorted). Each runs on SQLite and MySQL/MariaDB. */
export const migrations = [
  CreateSecrets1700000000001,
  CreateIdentities1700000000002,
  CreateSessionsAndFlows1700000000003,
  CreateCourierMessages1700000000004,
  CreateSelfServiceTokens1700000000005,
  CreateOAuth2KeysAndClients1700000000006,
  CreateOAuth2Flows1700000000007,
  PartialOidcPayloadIndexes1700000000008,
  CreateOAuth2Trust1700000000010,
  ConsentRememberedIndex1700000000011,
  CreateOAuth2ForcedSubjects1700000000012,
  WidenIdentifierColumns1700000000013,
  AddOAuth2ClientSkipLogoutConsent1700000000014,
  RealmColumn1700000000015,
  CreateRealms1700000000016,
  CreateProjects1700000000017,
  CreateProjectApiKeys1700000000018,
  KeysetListIndexes1700000000019,
  CleanupIndexes1700000000021,
  CreateProjectMembers1700000000022,
];
