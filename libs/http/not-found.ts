import type { RequestHandler } from 'express';
import { notFound } from './errors';

/** The catch-all after every route of a mount: an unknown route is a 404 in the surface's shape. */
export function routeNotFound(): RequestHandler {
  return (req, _res, next) => {
    next(notFound(`The requested route ${req.method} ${req.path} does not exist.`));
  };
}
