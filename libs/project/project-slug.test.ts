import { realmNameProblem } from '../config';
import { slugFromName, slugWithSuffix } from './project-slug';

describe('slugFromName', () => {
  it.each([
    ['Acme Corp', 'acme-corp'],
    ['  Café Zürich!! ', 'cafe-zurich'],
    ['ACME', 'acme'],
    ['my_project.v2', 'my-project-v2'],
    ['--a--b--', 'a-b'],
    ['日本語', 'project'],
    ['', 'project'],
    ['!!!', 'project'],
  ])('%j → %j', (name, slug) => {
    expect(slugFromName(name)).toBe(slug);
  });

  it('cuts long names to 48 characters without a trailing hyphen, leaving room for a suffix', () => {
    const slug = slugFromName(`${'a'.repeat(47)} b${'c'.repeat(40)}`);
    expect(slug).toBe('a'.repeat(47));
    expect(slugFromName('x'.repeat(100))).toHaveLength(48);
  });

  it('always yields a valid realm name, with and without a suffix (reserved names aside)', () => {
    for (const name of ['Acme Corp', 'x'.repeat(100), '--', 'Ünïcödé ñame', '123', 'a b c d e f g']) {
      const slug = slugFromName(name);
      expect(realmNameProblem(slug)).toBeUndefined();
      expect(realmNameProblem(slugWithSuffix(slug))).toBeUndefined();
    }
    expect(realmNameProblem(slugFromName('Default'))).toMatch(/configured by the configuration file/);
    expect(realmNameProblem(slugWithSuffix(slugFromName('Default')))).toBeUndefined();
  });
});

describe('slugWithSuffix', () => {
  it('adds six random lowercase letters or digits', () => {
    expect(slugWithSuffix('acme')).toMatch(/^acme-[a-z0-9]{6}$/);
    expect(slugWithSuffix('acme', () => 0)).toBe('acme-aaaaaa');
    expect(slugWithSuffix('acme', () => 35)).toBe('acme-999999');
    expect(new Set(Array.from({ length: 50 }, () => slugWithSuffix('acme'))).size).toBeGreaterThan(45);
  });
});
