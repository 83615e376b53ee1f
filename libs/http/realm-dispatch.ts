import type { RequestListener } from 'node:http';
import { DEFAULT_REALM, requestRealmOf } from '../x';
import { notFound } from './errors';
import { pathOf } from './node-middleware';
import { type ErrorSurface, type WriteErrorDeps, sendError } from './write-error';

/** Finds the apps' view of a realm by name (`Registry.forRealm`); `undefined` for an unknown realm. */
export interface RealmLookup<D> {
  forRealm?(name: string): Promise<D | undefined>;
}

/**
 * The app of the request's realm (after the realm resolver): `build(deps)` for the default realm, built
 * now; for another realm, `build` of its view from `deps.forRealm`, built on its first request and kept
 * as long as the view lives (a realm rebuilt or evicted gets a new view, hence a new app). So routers and
 * the engine read the request's realm services (`realmOf(req)` is the view the app was built with), never
 * the default realm's. An unknown realm is a 404 in the surface's shape (`surface(path)`, path without prefix).
 */
export function dispatchToRealm<D extends object>(
  deps: D & RealmLookup<D> & WriteErrorDeps,
  build: (deps: D) => RequestListener,
  surface: (path: string) => ErrorSurface,
): RequestListener {
  const apps = new WeakMap<object, RequestListener>();
  const main = build(deps);
  const appOf = (view: D): RequestListener => {
    let app = apps.get(view);
    if (!app) {
      app = build(view);
      apps.set(view, app);
    }
    return app;
  };
  return (req, res) => {
    const { name } = requestRealmOf(req);
    if (name === DEFAULT_REALM) return main(req, res);
    const path = pathOf(req.url);
    (deps.forRealm ? deps.forRealm(name) : Promise.resolve(undefined)).then(
      (view) => {
        if (view) appOf(view)(req, res);
        else sendError(res, notFound(`No realm is named ${JSON.stringify(name.slice(0, 64))}.`), surface(path), deps, path);
      },
      (error: unknown) => sendError(res, error, surface(path), deps, path),
    );
  };
}
