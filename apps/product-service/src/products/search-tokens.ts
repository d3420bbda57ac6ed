/**
 * Word search without `$text` (the local store has none, docs/decisions/0003-local-stores.md): each product stores the distinct lower-case
 * words of its name and description in an indexed array, and a query matches products holding
 * every word of `q` (`$all`), which a multikey index answers on MongoDB.
 */
export const MAX_TOKEN_LENGTH = 64;

/** Distinct words: letters and digits, lower-cased, accents folded ("Crème" → "creme"). */
export function searchTokens(...texts: string[]): string[] {
  const tokens = new Set<string>();
  for (const text of texts) {
    const folded = text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
    for (const [word] of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
      tokens.add(word.slice(0, MAX_TOKEN_LENGTH));
    }
  }
  return [...tokens];
}

/** The key products are sorted by when sorting by name: case- and accent-insensitive. */
export const nameSortKey = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
