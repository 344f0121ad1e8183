// Which characters of a look-alike differ from the name it imitates: the characters outside a
// longest common subsequence of the two (domains are short, so the quadratic table is cheap).
export interface Piece {
  text: string;
  differs: boolean;
}

export function diffPieces(lookalike: string, original: string): Piece[] {
  const a = Array.from(lookalike);
  const b = Array.from(original);
  const n = a.length;
  const m = b.length;
  if (n === 0 || n > 512 || m > 512) return [{ text: lookalike, differs: false }];
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  const out: Piece[] = [];
  const push = (ch: string, differs: boolean) => {
    const last = out[out.length - 1];
    if (last && last.differs === differs) last.text += ch;
    else out.push({ text: ch, differs });
  };
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && a[i] === b[j]) {
      push(a[i]!, false);
      i++;
      j++;
    } else if (j < m && len[i]![j + 1]! >= len[i + 1]![j]!) {
      j++;
    } else {
      push(a[i]!, true);
      i++;
    }
  }
  return out;
}
