/** The word matching itself: no hooks, so it is unit-tested alone. */

/** Lower case without accents, so `Idiot`, `IDIOT` and `ïdiot` compare equal. */
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Finds and masks a fixed list of whole words. */
export class WordFilter {
  private readonly words: ReadonlySet<string>;

  constructor(words: readonly string[], private readonly maskChar = '*') {
    this.words = new Set(words.map(fold));
  }

  /** True when `text` contains a listed word. */
  matches(text: string): boolean {
    return this.mask(text) !== text;
  }

  /** `text` with each listed word replaced by one mask character per letter; the rest untouched. */
  mask(text: string): string {
    if (this.words.size === 0) return text;
    // A word is a run of letters, digits and combining marks (so `é` written as e + ́ stays one word).
    return text.replace(/[\p{L}\p{N}\p{M}]+/gu, (word) => (this.words.has(fold(word)) ? this.maskChar.repeat([...fold(word)].length) : word));
  }
}
