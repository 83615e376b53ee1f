import { randomInt } from 'node:crypto';

/** Longest slug derived from a name, leaving room for a `-xxxxxx` suffix within a 63-character DNS label. */
const MAX_BASE = 48;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The slug a project name suggests: a DNS label (lowercase ASCII letters, digits and inner hyphens, at most
 * 48 characters) — accents dropped (`Café` → `cafe`), every other run of characters a hyphen; `project`
 * when nothing is left. It may still be taken or reserved: see {@link slugWithSuffix}.
 */
export function slugFromName(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, MAX_BASE).replace(/-+$/, '');
  return slug === '' ? 'project' : slug;
}

/** `base` with a random 6-character suffix (`acme-x7k2q9`), for when `base` is taken or reserved. */
export function slugWithSuffix(base: string, random: (max: number) => number = randomInt): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += SUFFIX_ALPHABET[random(SUFFIX_ALPHABET.length)];
  return `${base}-${suffix}`;
}
