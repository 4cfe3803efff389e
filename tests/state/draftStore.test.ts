import { beforeEach, describe, expect, it } from 'vitest';
import { addEdge, addNode, emptyDraft } from '../../src/graph/draft';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import {
  currentDraft, draftProblem, edit, initialDraft, redoDraft, setSelection, startDraft, takeDraftForTraining, undoDraft, useDraft,
} from '../../src/state/draftStore';

describe('draft store', () => {
  beforeEach(() => useDraft.setState(initialDraft, true));

  it('edits are undone and redone in order; an edit the draft API rejects changes nothing', () => {
    startDraft(emptyDraft());
    edit((d) => addNode(d, 0.1, 0.1));
    edit((d) => addNode(d, 0.9, 0.9, 1));
    edit((d) => addEdge(d, 0, 1));
    expect(currentDraft()!.edges.length).toBe(1);
    edit((d) => addEdge(d, 0, 7)); // node 7 does not exist: a RangeError, swallowed
    expect(useDraft.getState().history!.past.length).toBe(3);
    undoDraft();
    expect(currentDraft()!.edges.length).toBe(0);
    undoDraft();
    expect(currentDraft()!.nodes.length).toBe(1);
    redoDraft();
    redoDraft();
    expect(currentDraft()!.edges.length).toBe(1);
  });

  it('a selection does not outlive a change in node count (ids are renumbered)', () => {
    startDraft(emptyDraft());
    edit((d) => addNode(d, 0.1, 0.1));
    setSelection([0]);
    edit((d) => addNode(d, 0.5, 0.5));
    expect(useDraft.getState().selection).toEqual([]);
  });

  it('a drawing is trainable once it has a train node, and becomes gnn-graph-json the loader accepts', () => {
    startDraft(emptyDraft());
    expect(draftProblem(currentDraft()!)).toMatch(/Add some nodes/);
    edit((d) => addNode(d, 0.1, 0.1, 0, 3));
    edit((d) => addNode(d, 0.9, 0.9, 1, 3));
    edit((d) => addEdge(d, 0, 1));
    expect(draftProblem(currentDraft()!)).toMatch(/train/);
    edit((d) => ({ ...d, nodes: d.nodes.map((v) => ({ ...v, split: 1 as const })) }));
    expect(draftProblem(currentDraft()!)).toBeNull();
    const taken = takeDraftForTraining()!;
    const g = parseGraphJson(taken.text);
    expect([g.numNodes, g.numEdges, g.numClasses, g.split.train.length]).toEqual([2, 2, 2, 2]);
    expect(useDraft.getState().applied).toBe(currentDraft());
    expect(useDraft.getState().editing).toBe(false);
  });
});
