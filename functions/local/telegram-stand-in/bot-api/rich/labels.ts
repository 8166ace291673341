/**
 * The labels Telegram shows before ordered list items: decimal, letters or Roman numerals.
 * Telegram's own rendering of the label is not documented; these follow HTML's <ol type>.
 */
export type LabelType = '1' | 'a' | 'A' | 'i' | 'I';

export function listLabel(value: number, type: LabelType): string {
  switch (type) {
    case 'a':
    case 'A': {
      let n = Math.max(1, value);
      let letters = '';
      while (n > 0) {
        n -= 1;
        letters = String.fromCharCode(97 + (n % 26)) + letters;
        n = Math.floor(n / 26);
      }
      return `${type === 'A' ? letters.toUpperCase() : letters}.`;
    }
    case 'i':
    case 'I': {
      const roman = toRoman(value);
      return `${type === 'I' ? roman : roman.toLowerCase()}.`;
    }
    default:
      return `${value}.`;
  }
}

function toRoman(value: number): string {
  const numerals: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let n = Math.max(1, Math.min(3999, Math.floor(value)));
  let out = '';
  for (const [amount, numeral] of numerals) {
    while (n >= amount) {
      out += numeral;
      n -= amount;
    }
  }
  return out;
}
