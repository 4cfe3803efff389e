import { describe, expect, it } from 'vitest';
import { codesFromSplit, splitFromCodes, stratifiedSplit, stratifiedSplitCodes } from '../../src/graph/split';

function countsPerClass(labels: number[], codes: Uint8Array, k: number): number[][] {
  const out = Array.from({ length: k }, () => [0, 0, 0, 0]);
  labels.forEach((y, i) => out[y][codes[i]]++);
  return out.map((c) => c.slice(1)); // train, val, test
}

describe('default stratified split', () => {
  it('gives big classes 20 / 30 / rest and small ones a fifth each, at least one train node', () => {
    // class sizes 400, 17, 5, 2, 1
    const sizes = [400, 17, 5, 2, 1];
    const labels = sizes.flatMap((s, c) => Array<number>(s).fill(c));
    const codes = stratifiedSplitCodes(labels, sizes.length, 7);
    expect(countsPerClass(labels, codes, sizes.length)).toEqual([[20, 30, 350], [3, 3, 11], [1, 1, 3], [1, 0, 1], [1, 0, 0]]);
  });

  it('follows the rule options, and a class with no nodes is fine', () => {
    const labels = [...Array<number>(100).fill(0), ...Array<number>(100).fill(2)];
    const codes = stratifiedSplitCodes(labels, 3, 1, { trainPerClass: 5, valPerClass: 50, maxFraction: 0.5 });
    expect(countsPerClass(labels, codes, 3)).toEqual([[5, 50, 45], [0, 0, 0], [5, 50, 45]]);
  });

  it('is deterministic, depends on the seed, and interleaves classes', () => {
    const labels = Array.from({ length: 300 }, (_, i) => i % 3);
    const a = stratifiedSplitCodes(labels, 3, 5);
    expect(stratifiedSplitCodes(labels, 3, 5)).toEqual(a);
    expect(stratifiedSplitCodes(labels, 3, 6)).not.toEqual(a);
    const s = stratifiedSplit(labels, 3, 5);
    expect(s.train.length + s.val.length + s.test.length).toBe(300);
    expect(Array.from(s.train)).toEqual([...s.train].sort((x, y) => x - y));
    expect(codesFromSplit(s, 300)).toEqual(a);
    expect(splitFromCodes(a)).toEqual(s);
  });
});
