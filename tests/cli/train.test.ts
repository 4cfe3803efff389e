import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm run train` end to end: both backends (WGSL through Dawn on SwiftShader, and the CPU
// reference), both tasks, and a clear message for a bad option.
const run = promisify(execFile);
const train = (...args: string[]) => run('npx', ['tsx', 'src/cli/train.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

interface Output {
  readonly dataset: string;
  readonly model: string;
  readonly backend: string;
  readonly runs: { readonly testAcc: number; readonly bestEpoch: number; readonly curve: { readonly val: number[]; readonly test: number[] } }[];
  readonly testAcc: { readonly mean: number };
}

describe('npm run train', () => {
  it('trains GAT on Karate on both backends to the same curve', async () => {
    const args = ['--dataset', 'karate', '--model', 'gat', '--seeds', '2', '--epochs', '40', '--json'];
    const [gpu, cpu] = await Promise.all([train(...args, '--backend', 'gpu', '--software'), train(...args, '--backend', 'cpu')]);
    const g = JSON.parse(gpu.stdout) as Output, c = JSON.parse(cpu.stdout) as Output;
    expect(g.backend).toMatch(/WebGPU/i);
    expect(c.backend).toMatch(/CPU/);
    expect(g.runs).toHaveLength(2);
    for (const out of [g, c]) for (const r of out.runs) expect(r.curve.test).toHaveLength(40);
    // The models compute the same thing; f32 summation order may move a node at a tie, no more.
    g.runs.forEach((r, i) => {
      const diff = r.curve.val.map((v, e) => Math.abs(v - c.runs[i].curve.val[e]));
      expect(Math.max(...diff)).toBeLessThanOrEqual(0.1);
    });
    expect(c.testAcc.mean).toBeGreaterThan(0.6);
  }, 300_000);

  it('cross-validates GIN on MUTAG on WebGPU, one run per fold', async () => {
    const { stdout } = await train('--dataset', 'mutag', '--model', 'gin', '--folds', '3', '--epochs', '3', '--backend', 'gpu', '--software', '--json');
    const out = JSON.parse(stdout) as Output;
    expect(out.dataset).toBe('MUTAG');
    expect(out.runs).toHaveLength(3);
    for (const r of out.runs) {
      expect(r.curve.val).toHaveLength(3);
      expect(r.testAcc).toBeGreaterThan(0);
      expect(r.testAcc).toBeLessThanOrEqual(1);
    }
  }, 300_000);

  it('rejects an unknown option and a bad value with a message and exit code 1', async () => {
    await expect(train('--dataset', 'karate', '--modle', 'gat')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/unknown option --modle/) });
    await expect(train('--dataset', 'karate', '--model', 'gat', '--activation', 'swish')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/activation/) });
  }, 120_000);
});
