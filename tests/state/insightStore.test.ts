import { beforeEach, describe, expect, it } from 'vitest';
import {
  addFrame, addSweepPoint, clearRunInsight, endSweep, FRAME_BUDGET_BYTES, initialInsight, setScrub, shownFrame, startSweep, useInsight,
} from '../../src/state/insightStore';
import { applyMessage, beginInit, initialState, usePlayground } from '../../src/state/store';
import { defaultConfig } from '../../src/train/protocol';

const frame = (epoch: number, nodes = 4) => ({
  epoch,
  layers: [{ name: 'layer 1', dim: 2, coords: new Float32Array(nodes * 2), explained: [0.5, 0.5] as const, energy: 1, mad: 0.5 }],
  gradNorms: [0.1],
});

describe('insight store', () => {
  beforeEach(() => {
    useInsight.setState(initialInsight, true);
    usePlayground.setState(initialState, true);
  });

  it('frames accumulate; the scrubber holds one or follows the newest', () => {
    for (let e = 1; e <= 3; e++) addFrame(frame(e));
    expect(shownFrame(useInsight.getState())!.epoch).toBe(3);
    setScrub(0);
    addFrame(frame(4));
    expect(shownFrame(useInsight.getState())!.epoch).toBe(1);
    setScrub(null);
    expect(shownFrame(useInsight.getState())!.epoch).toBe(4);
  });

  it('past the byte budget the history thins out evenly and keeps the newest frame', () => {
    const nodes = 200_000; // 1.6 MB of coordinates a frame
    const count = Math.ceil(FRAME_BUDGET_BYTES / (nodes * 8)) + 5;
    for (let e = 1; e <= count; e++) addFrame(frame(e, nodes));
    const { frames } = useInsight.getState();
    expect(frames.reduce((s, f) => s + f.layers[0].coords.byteLength, 0)).toBeLessThanOrEqual(FRAME_BUDGET_BYTES);
    expect(frames[0].epoch).toBe(1);
    expect(frames[frames.length - 1].epoch).toBe(count);
  });

  it('worker messages land in the store; a new run clears frames and the inspection but keeps the sweep', () => {
    beginInit(defaultConfig);
    applyMessage({ type: 'layers', epoch: 1, layers: frame(1).layers, gradNorms: [0.1] });
    expect(useInsight.getState().frames).toEqual([]); // still loading: belongs to the old run
    usePlayground.setState({ loading: false });
    applyMessage({ type: 'layers', epoch: 1, layers: frame(1).layers, gradNorms: [0.1] });
    applyMessage({ type: 'inspection', node: 3, inspection: null, reason: 'no graph' });
    expect(useInsight.getState().frames.length).toBe(1);
    expect(useInsight.getState().inspectionNote).toBe('no graph');
    startSweep(2, 5);
    applyMessage({ type: 'sweepProgress', depth: 1, variant: 'plain', epochs: 5, testAcc: 0.5, bestEpoch: 5, trainAcc: 1, energy: 2, mad: 0.3, completed: 1, total: 2 });
    applyMessage({ type: 'sweepDone', cancelled: true });
    expect(useInsight.getState().sweep).toMatchObject({ running: false, completed: 1, total: 2, error: 'Stopped.' });
    beginInit(defaultConfig);
    expect(useInsight.getState().frames).toEqual([]);
    expect(useInsight.getState().sweep!.points.length).toBe(1);
  });

  it('sweep points add up; clearRunInsight leaves them', () => {
    startSweep(1, 3);
    addSweepPoint({ depth: 2, variant: 'residual', testAcc: 0.7, trainAcc: 0.9, energy: 1, mad: 0.2 }, 1, 1);
    endSweep(null);
    clearRunInsight();
    expect(useInsight.getState().sweep).toMatchObject({ running: false, completed: 1, error: null });
  });
});
