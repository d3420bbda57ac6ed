import { etagOf, VersionPrecondition } from './version-precondition';

describe('VersionPrecondition', () => {
  it('is absent without an If-Match header', () => {
    expect(VersionPrecondition.parse(undefined)).toBeUndefined();
    expect(VersionPrecondition.parse('  ')).toBeUndefined();
  });

  it.each(['3', '"3"', '"1", "3"', '*'])('%s matches version 3', (header) => {
    expect(VersionPrecondition.parse(header)?.matches(3)).toBe(true);
  });

  it.each(['2', '"2"', 'W/"3"', 'abc', '"03"', '0', '-3'])(
    '%s does not match version 3',
    (header) => {
      expect(VersionPrecondition.parse(header)?.matches(3)).toBe(false);
    },
  );

  it('writes the version as a strong ETag', () => {
    expect(etagOf(7)).toBe('"7"');
    expect(VersionPrecondition.parse(etagOf(7))?.matches(7)).toBe(true);
  });
});
