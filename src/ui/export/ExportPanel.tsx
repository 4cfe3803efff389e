import { type CSSProperties, Fragment, useId, useMemo, useState } from 'react';
import { exportKinds, exportLabels, exportReason } from '../../export/availability';
import { curvesCsv, embeddingsCsv } from '../../export/csv';
import { exportJson, type ExportContext } from '../../export/json';
import { exportFileName, type ExportKind, modelLabel } from '../../export/names';
import { pygScript } from '../../export/pygScript';
import { requestExport } from '../../state/client';
import { useDraft } from '../../state/draftStore';
import { useExport } from '../../state/exportStore';
import { shownFrame, useInsight } from '../../state/insightStore';
import { latestReport, shownConfig, usePlayground } from '../../state/store';
import { useView } from '../../state/viewStore';
import { taskOf } from '../../train/protocol';
import { graphsShown } from '../describe';
import { saveBlob, saveText } from './download';
import { colourWords, drawFigure, figureColumns, layerPanels, legendOf, pngBlob, pointColours } from './figures';

const hints: Record<ExportKind, string> = {
  'weights-json': 'Every trained parameter with its shape, at the newest epoch',
  'embeddings-json': "Every layer's output for every node, at the newest epoch",
  'embeddings-csv': 'One row per layer and node: node, layer, label, split, dim0, dim1, ...',
  'curves-csv': 'Loss and accuracies per epoch',
  'graph-png': 'The graph view with a title and legend, at screen resolution',
  'layers-png': 'The layer embeddings (PCA) side by side, with their captions',
  'pyg-script': 'A PyTorch Geometric script that trains the same model on the same data',
};

const compact: CSSProperties = { padding: '0.25rem 0.55rem', fontSize: '0.85rem' };
const off: CSSProperties = { ...compact, opacity: 0.45, cursor: 'not-allowed' };
const hidden: CSSProperties = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

const JSON_TYPE = 'application/json';
const CSV_TYPE = 'text/csv';

/**
 * Downloads of the run on screen: weights and embeddings (JSON, CSV), the training curves, PNGs
 * of the graph and of the layer views, and a PyTorch Geometric script of the same model. A
 * button that cannot work now stays focusable (aria-disabled) and says why: on hover, to a
 * screen reader, and in the status line when pressed.
 */
export function ExportPanel() {
  const id = useId();
  const graph = usePlayground((s) => s.graph);
  const loading = usePlayground((s) => s.loading);
  const epochs = usePlayground((s) => s.reports.length);
  const config = usePlayground(shownConfig);
  const frames = useInsight((s) => s.frames.length);
  const view = useView((s) => s.view);
  const editing = useDraft((s) => s.editing && s.history !== null);
  const pending = useExport((s) => s.pending > 0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ readonly ok: boolean; readonly text: string } | null>(null);

  const script = useMemo(() => {
    if (!graph) return { text: null, problem: null };
    try {
      return { text: pygScript(config, { datasetName: graph.name, numFeatures: graph.numFeatures, numClasses: graph.numClasses }), problem: null };
    } catch (e) {
      return { text: null, problem: `No PyG script for this model: ${(e as Error).message}` };
    }
  }, [config, graph]);

  const situation = {
    hasGraph: graph !== null, loading, task: taskOf(config.dataset), epochs, frames,
    graphViewShown: view === 'graph' && !editing, editing, scriptProblem: script.problem,
  };

  const run = async (kind: ExportKind) => {
    const s = usePlayground.getState();
    const g = s.graph!;
    const c = shownConfig(s);
    const name = (epoch: number) => exportFileName(kind, c, g.name, epoch);
    const dpr = window.devicePixelRatio || 1;
    switch (kind) {
      case 'weights-json':
      case 'embeddings-json':
      case 'embeddings-csv': {
        const answer = await requestExport();
        if (!answer.run) return { ok: false, text: answer.reason ?? 'Nothing to export.' };
        const ctx: ExportContext = {
          config: c, datasetName: g.name, numClasses: g.numClasses, classNames: g.classNames, backend: s.backend,
          nodes: g.graphOf ? undefined : { labels: g.labels, splitOf: g.splitOf },
        };
        const file = name(answer.run.epoch);
        if (kind === 'embeddings-csv') saveText(file, embeddingsCsv(answer.run, ctx.nodes!), CSV_TYPE);
        else saveText(file, exportJson(answer.run, ctx, kind === 'weights-json' ? 'weights' : 'embeddings'), JSON_TYPE);
        return { ok: true, text: `Saved ${file}${answer.run.note && kind === 'weights-json' ? ` (${answer.run.note.split(':')[0]}: weights only)` : ''}.` };
      }
      case 'curves-csv': {
        const file = name(latestReport(s)?.epoch ?? 0);
        saveText(file, curvesCsv(s.reports), CSV_TYPE);
        return { ok: true, text: `Saved ${file}.` };
      }
      case 'graph-png': {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="graph-canvas"]');
        if (!canvas || canvas.width === 0 || canvas.height === 0) return { ok: false, text: 'The graph view is not on screen: open the Graph tab.' };
        const epoch = latestReport(s)?.epoch ?? 0;
        const { colourBy } = useView.getState();
        const what = g.graphOf ? `${graphsShown(g)} of ${g.numGraphs} graphs shown` : `${g.numNodes} nodes, ${g.src.length} edges`;
        const figure = drawFigure(
          [`${g.name} · ${modelLabel(c)} · epoch ${epoch}`, `${what}; ${g.graphOf ? 'each graph' : 'nodes'} coloured by ${colourWords[colourBy]}`],
          legendOf(g, colourBy, s.predictions !== null),
          [{ image: canvas, width: canvas.width, height: canvas.height, caption: [] }], 1, dpr,
        );
        const file = name(epoch);
        saveBlob(file, await pngBlob(figure));
        return { ok: true, text: `Saved ${file}.` };
      }
      case 'layers-png': {
        const frame = shownFrame(useInsight.getState());
        if (!frame) return { ok: false, text: 'No layer embeddings yet: train or step at least one epoch.' };
        const { colourBy } = useView.getState();
        const panels = layerPanels(frame, pointColours(g, s.predictions, colourBy), dpr);
        const figure = drawFigure(
          [`${g.name} · ${modelLabel(c)} · layer embeddings at epoch ${frame.epoch}`, `each layer's output on its two leading principal components; nodes coloured by ${colourWords[colourBy]}`],
          legendOf(g, colourBy, s.predictions !== null), panels, figureColumns(panels.length), dpr,
        );
        const file = name(frame.epoch);
        saveBlob(file, await pngBlob(figure));
        return { ok: true, text: `Saved ${file}.` };
      }
      case 'pyg-script': {
        const file = name(0);
        saveText(file, script.text!, 'text/x-python');
        const own = c.dataset === 'custom' || c.dataset === 'custom-graphs';
        return { ok: true, text: `Saved ${file}.${own ? ` It reads your graph from ${c.dataset === 'custom' ? 'graph.json' : 'graphs.json'} next to it: save that with "Save" under "Your own graph".` : ''}` };
      }
    }
  };

  const press = (kind: ExportKind, reason: string | null) => {
    if (reason) {
      setStatus({ ok: false, text: `${exportLabels[kind]}: ${reason}` });
      return;
    }
    if (busy || pending) return;
    setBusy(true);
    setStatus({ ok: true, text: `Preparing ${exportLabels[kind]}…` });
    run(kind)
      .then((r) => setStatus(r))
      .catch((e: unknown) => setStatus({ ok: false, text: `${exportLabels[kind]} failed: ${(e as Error).message}` }))
      .finally(() => setBusy(false));
  };

  return (
    <fieldset className="export-panel" data-testid="export-panel" aria-busy={busy || pending}>
      <legend>Export</legend>
      <div className="buttons" role="group" aria-label="Downloads" style={{ gap: '0.35rem' }}>
        {exportKinds.map((kind) => {
          const reason = exportReason(kind, situation);
          return (
            <Fragment key={kind}>
              <button type="button" data-testid={`export-${kind}`} aria-disabled={reason !== null}
                aria-describedby={reason ? `${id}-${kind}` : undefined} title={reason ?? hints[kind]}
                style={reason ? off : compact} onClick={() => press(kind, reason)}>
                {exportLabels[kind]}
              </button>
              {reason && <span id={`${id}-${kind}`} style={hidden}>{`Unavailable: ${reason}`}</span>}
            </Fragment>
          );
        })}
      </div>
      <p className={status && !status.ok ? 'field-error' : 'hint'} role="status" data-testid="export-status" style={{ margin: 0, minHeight: '1.2em' }}>
        {status?.text ?? ''}
      </p>
    </fieldset>
  );
}
