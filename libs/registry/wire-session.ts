import type { JwtSigner } from '../keys';
import { TypeormSessionStore } from '../persistence';
import { AdminSessionManager, LogoutManager, MySessionsManager, SessionManager, SessionTokenizer, WhoamiService } from '../session';
import { IdentityWiring } from './wire-identity';

/** Sessions: the store, the managers, logout and the session-to-JWT tokenizer. */
export abstract class SessionWiring extends IdentityWiring {
  get sessionStore(): TypeormSessionStore {
    return this.once('sessionStore', () => new TypeormSessionStore(this.persistence, this.whoamiCache));
  }

  /** The whoami read in one round trip (the session store's joined statement). */
  get sessionIdentityReader(): TypeormSessionStore {
    return this.sessionStore;
  }

  /** `/sessions/whoami` through the process's whoami cache. */
  get whoamiService(): WhoamiService {
    return this.once('whoamiService', () => new WhoamiService(this.deps));
  }

  get sessionManager(): SessionManager {
    return this.once('sessionManager', () => new SessionManager(this.deps));
  }

  get mySessionsManager(): MySessionsManager {
    return this.once('mySessionsManager', () => new MySessionsManager(this.deps));
  }

  get adminSessionManager(): AdminSessionManager {
    return this.once('adminSessionManager', () => new AdminSessionManager(this.deps));
  }

  get logoutManager(): LogoutManager {
    return this.once('logoutManager', () => new LogoutManager(this.deps));
  }

  /** Session-to-JWT for `/sessions/whoami?tokenize_as=` (`session.whoami.tokenizer.templates`). */
  get sessionTokenizer(): SessionTokenizer {
    return this.once('sessionTokenizer', () => new SessionTokenizer(this.deps));
  }

  /** The tokenizer's signing port, backed by the key manager (the session chain cannot import keys). */
  get sessionJwtSigner(): JwtSigner {
    return this.deps.jwtSigner;
  }
}
