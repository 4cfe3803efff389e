import { readFileSync } from 'node:fs';

/**
 * Markdown tables from `npm run bench`'s JSON, for docs/bench.md: the page's figures are pasted
 * from this output, never typed, so each can be traced to a committed JSON file.
 *   npx tsx src/cli/benchReport.ts docs/bench/software-1.json [more.json ...]
 */

type Row = Record<string, unknown>;

const num = (v: unknown, digits = 1): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-');

function table(headers: string[], rows: string[][], right: boolean[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(right.map((r) => (r ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

const sections: Record<string, (v: unknown) => string> = {
  training: (v) => table(['dataset', 'WebGPU ms/epoch', 'CPU ms/epoch', 'WebGPU 200 epochs (s)'],
    (v as Row[]).map((r) => [String(r.dataset), num(r.gpuEpochMs), num(r.cpuEpochMs), num(r.gpu200EpochsS, 2)]), [false, true, true, true]),
  models: (v) => table(['dataset', 'model', 'WebGPU ms/epoch', 'CPU ms/epoch'],
    (v as Row[]).map((r) => [String(r.dataset), String(r.model), num(r.gpuEpochMs), num(r.cpuEpochMs)]), [false, false, true, true]),
  peers: (v) => {
    const p = v as { rows: Row[]; ratios: Row[]; accuracy?: Row[] };
    const who = table(['who', 'ms / epoch', 'epochs timed', 'loss, epochs 1-5', 'note'],
      p.rows.map((r) => [String(r.who), num(r.epochMs), String(r.epochs), (r.lossesFirst5 as number[]).map((l) => l.toFixed(3)).join(' '), String(r.note)]),
      [false, true, true, false, false]);
    const ratios = table(['ratio (same run)', 'value', 'goal', 'met'],
      p.ratios.map((r) => [String(r.ratio), num(r.value, 2), String(r.goal), r.met === true ? 'yes' : r.met === false ? '**no**' : '-']), [false, true, false, false]);
    const acc = p.accuracy?.length
      ? `\n\n${table(['who', 'test acc % (best val epoch)', 'best epoch'], p.accuracy.map((r) => [String(r.who), num(100 * (r.testAcc as number)), String(r.bestEpoch)]), [false, true, true])}`
      : '';
    return `${who}\n\n${ratios}${acc}`;
  },
  gspmm: (v) => table(['reduce', 'nodes', 'nnz', 'width', 'ms', 'GB/s', 'copy GB/s', 'ratio to copy'],
    (v as Row[]).map((r) => [String(r.reduce), String(r.nodes), String(r.nnz), String(r.width), num(r.ms, 2), num(r.gbPerS, 3), num(r.copyGbPerS, 3), num(r.ratioToCopy, 2)]),
    [false, true, true, true, true, true, true, true]),
  spmm: (v) => table(['graph', 'nnz', 'width', 'ms', 'GB/s', 'copy GB/s', 'ratio to copy'],
    (v as Row[]).map((r) => [String(r.graph), String(r.nnz), String(r.width), num(r.ms, 2), num(r.gbPerS, 3), num(r.copyGbPerS, 3), num(r.ratioToCopy, 2)]),
    [false, true, true, true, true, true, true]),
  gspmmSchedules: (v) => table(['graph', 'nnz', 'max deg', 'width', 'schedule (* = chosen)', 'ms', 'GB/s', 'copy GB/s', 'ratio to copy'],
    (v as Row[]).map((r) => [String(r.graph), String(r.nnz), String(r.maxDeg), String(r.width), `${r.schedule}${r.auto ? ' *' : ''}`, num(r.ms, 2), num(r.gbPerS, 3), num(r.copyGbPerS, 3), num(r.ratioToCopy, 2)]),
    [false, true, true, true, false, true, true, true, true]),
  /** Per graph, size and width: the schedule the chooser took and the fastest one measured. */
  gspmmSchedulesSummary: (v) => {
    const groups = new Map<string, Row[]>();
    for (const r of v as Row[]) {
      const k = [r.graph, r.nnz, r.maxDeg, r.width].join('|');
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    return table(['graph', 'nnz', 'max deg', 'width', 'chosen schedule', 'its ratio to copy', 'fastest here', 'its ratio'],
      [...groups.values()].map((g) => {
        const chosen = g.find((r) => r.auto) ?? g[0];
        const fastest = g.reduce((a, b) => ((b.ms as number) < (a.ms as number) ? b : a));
        return [String(chosen.graph), String(chosen.nnz), String(chosen.maxDeg), String(chosen.width), String(chosen.schedule), num(chosen.ratioToCopy, 2), String(fastest.schedule), num(fastest.ratioToCopy, 2)];
      }), [false, true, true, true, false, true, false, true]);
  },
  fused: (v) => table(['graph', 'nnz', 'width', 'schedule', 'unfused ms (3 launches)', 'fused ms (1)', 'unfused / fused'],
    (v as Row[]).map((r) => [String(r.graph), String(r.nnz), String(r.width), String(r.schedule), num(r.unfusedMs, 2), num(r.fusedMs, 2), num(r.speedup, 2)]),
    [false, true, true, false, true, true, true]),
  scale: (v) => table(['graph', 'nodes', 'edges', 'features', 'max in-degree', 'WebGPU ms/epoch', 'CPU ms/epoch', 'estimate MiB', 'largest buffer MiB', 'fits spec defaults', 'status'],
    (v as Row[]).map((r) => {
      const e = r.estimate as Row | null;
      const mib = (b: unknown) => num((b as number) / 2 ** 20);
      return [String(r.graph), String(r.nodes), String(r.edges), String(r.features), r.maxInDegree == null ? '-' : String(r.maxInDegree),
        num(r.gpuEpochMs), num(r.cpuEpochMs), e ? mib(e.totalBytes) : '-', e ? mib(e.largestBuffer) : '-', r.fitsSpecDefaults ? 'yes' : '**no**', String(r.status)];
    }), [false, true, true, true, true, true, true, true, true, false, false]),
};

for (const file of process.argv.slice(2)) {
  const d = JSON.parse(readFileSync(file, 'utf8')) as Row & { sectionSeconds: Record<string, number> };
  console.log(`<!-- ${file}: ${d.date}, ${d.gpu}, ${d.quick ? '--quick' : 'full'}, ${num(d.seconds, 0)} s -->\n`);
  for (const [name, render] of Object.entries(sections)) {
    const source = name === 'gspmmSchedulesSummary' ? 'gspmmSchedules' : name;
    if (!(source in d)) continue;
    const value = d[source];
    const failed = value && typeof value === 'object' && 'error' in (value as Row);
    console.log(`#### ${name} (${num(d.sectionSeconds?.[source], 0)} s)\n\n${failed ? `FAILED: ${(value as Row).error}` : render(value)}\n`);
  }
}
