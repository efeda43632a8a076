/**
 * Text folded for searching: lowercase, accents and other diacritics removed, spaces collapsed,
 * so that "impresion" finds "Impresión" and "CAMARA" finds "cámara".
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether every word of `query` occurs in one of `texts` (accent- and case-insensitive). */
export function matchesSearch(query: string, texts: ReadonlyArray<string | null | undefined>): boolean {
  const words = foldForSearch(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const haystack = foldForSearch(texts.filter(Boolean).join(' '));
  return words.every((word) => haystack.includes(word));
}
