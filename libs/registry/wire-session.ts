import type { JwtSigner } from '../keys';
import { TypeormSessionStore } from '../persistence';
import { AdminSessionManager, LogoutManager, MySessionsManager, SessionManager, SessionTokenizer } from '../session';
import { IdentityWiring } from './wire-identity';

/** Sessions: the store, the managers, logout and the session-to-JWT tokenizer. */
export abstract class SessionWiring extends IdentityWiring {
  get sessionStore(): TypeormSessionStore {
    return this.once('sessionStore', () => new TypeormSessionStore(this.persistence));
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
