import type { ReactNode } from 'react';
import { shownConfig, usePlayground } from '../../state/store';
import type { ModelKind } from '../../models/spec';
import { taskOf, type TrainConfig } from '../../train/protocol';
import { stackKindsOf } from '../spectrum/modelFilter';
import { activationNames, modelInfo } from '../catalog';
import {
  Big, Bracket, Fn, Frac, H, HM, Layer, Neighbours, Num, Op, Paren, Power, Row, Sigma, SmallParen, Space, Sub, SubSup, Sup, Text, Tilde, V, W,
} from './math';
import './formula.css';

/**
 * The update rule of the chosen layer in native MathML, with a line of plain words under each
 * formula. It follows what src/models/layers/* compute (biases left out), for the options the
 * config sets: GCN's self loops and normalization, GraphSAGE's aggregator, GAT's heads, GIN's
 * epsilon, SGC's and ChebNet's K, R-GCN's cross-relation reducer; PairNorm, residual and jumping
 * knowledge when enabled.
 */

export interface FormulaLine {
  readonly key: string;
  readonly math: ReactNode;
  readonly gloss: string;
}

const A = () => <V>A</V>;
const At = () => <Tilde><V>A</V></Tilde>;
const D = () => <V>D</V>;
const Dt = () => <Tilde><V>D</V></Tilde>;
const I = () => <V>I</V>;
/** A value of the config, after the formula: ", K = 3". */
const Given = ({ name, value }: { readonly name: ReactNode; readonly value: ReactNode }) => (
  <><Op>,</Op><Space em={0.8} />{name}<Op>=</Op>{value}</>
);

function gcnLines(c: TrainConfig): FormulaLine[] {
  const sym = c.norm === 'sym';
  const adj = c.selfLoops ? <At /> : <A />;
  const deg = c.selfLoops ? <Dt /> : <D />;
  const matrix = sym
    ? <><Power base={deg} minusHalf />{adj}<Power base={deg} minusHalf /></>
    : <><Power base={deg} minusHalf={false} />{adj}</>;
  const lines: FormulaLine[] = [{
    key: 'gcn',
    math: <Row><HM next /><Op>=</Op><Sigma>{matrix}<HM /><W /></Sigma></Row>,
    gloss: c.selfLoops
      ? sym
        ? 'Each node averages itself and its neighbours, each weighted by 1/\u221a(d\u1d62 d\u2c7c), then applies one shared weight matrix and the activation.'
        : 'Each node takes the plain mean of itself and its neighbours (row normalization), then one shared weight matrix and the activation.'
      : sym
        ? 'No self loops: a node hears only its neighbours (weighted by 1/\u221a(d\u1d62 d\u2c7c)), never its own features directly.'
        : 'No self loops: each node takes the mean of its neighbours only, never its own features directly.',
  }];
  if (c.selfLoops) {
    lines.push({
      key: 'gcn-def',
      math: (
        <Row>
          <At /><Op>=</Op><A /><Op>+</Op><I /><Op>,</Op><Space />
          <Sub base={<Dt />} sub={<Row><V>i</V><V>i</V></Row>} /><Op>=</Op>
          <Big op="&sum;" under={<V>j</V>} /><Sub base={<At />} sub={<Row><V>i</V><V>j</V></Row>} />
        </Row>
      ),
      gloss: 'The self loops (A + I) let a node keep its own features; D\u0303 counts each node\u2019s neighbours plus itself.',
    });
  } else {
    lines.push({
      key: 'gcn-def',
      math: <Row><Sub base={<D />} sub={<Row><V>i</V><V>i</V></Row>} /><Op>=</Op><Big op="&sum;" under={<V>j</V>} /><Sub base={<A />} sub={<Row><V>i</V><V>j</V></Row>} /></Row>,
      gloss: 'D is the degree matrix: how many neighbours each node has.',
    });
  }
  return lines;
}

function sageLines(c: TrainConfig): FormulaLine[] {
  const h = <H node="j" />;
  const agg = c.aggr === 'mean'
    ? <><Frac num={<Num>1</Num>} den={<Row><Op>|</Op><V>&#x1d4a9;</V><SmallParen><V>i</V></SmallParen><Op>|</Op></Row>} /><Big op="&sum;" under={<Neighbours />} />{h}</>
    : c.aggr === 'sum'
      ? <><Big op="&sum;" under={<Neighbours />} />{h}</>
      : <><Big op="max" under={<Neighbours />} />{h}</>;
  return [{
    key: 'sage',
    math: (
      <Row>
        <H node="i" next /><Op>=</Op>
        <Sigma><W sub={<V>r</V>} /><H node="i" /><Op>+</Op><W />{c.aggr === 'max' ? agg : <Paren>{agg}</Paren>}</Sigma>
      </Row>
    ),
    gloss: `The node keeps its own features with their own weight (the root weight W\u1d63) and adds the ${c.aggr === 'max' ? 'element-wise maximum' : c.aggr} of its neighbours\u2019 features under a second weight.`,
  }];
}

/** Whether the stack ends in a class-wide output layer of this kind (node task, no jumping knowledge). */
function outputLayerIs(c: TrainConfig, kind: ModelKind): boolean {
  return taskOf(c.dataset) === 'node' && c.jk === 'none' && stackKindsOf(c).at(-1) === kind;
}

function gatLines(c: TrainConfig): FormulaLine[] {
  const nodeTask = outputLayerIs(c, 'gat');
  const Wk = <SubSup base={<V>W</V>} sub={<V>k</V>} sup={<Layer />} />;
  const alpha = (j: string) => <SubSup base={<V>&alpha;</V>} sub={<Row><V>i</V><V>{j}</V></Row>} sup={<V>k</V>} />;
  const e = (j: string) => <SubSup base={<V>e</V>} sub={<Row><V>i</V><V>{j}</V></Row>} sup={<V>k</V>} />;
  const message = <><Big op="&sum;" under={<Neighbours self />} />{alpha('j')}{Wk}<H node="j" /></>;
  const Kout = <Sub base={<V>K</V>} sub={<Text>out</Text>} />;
  const lines: FormulaLine[] = [
    {
      key: 'gat-score',
      math: (
        <Row>
          {e('j')}<Op>=</Op><Sub base={<Fn>LeakyReLU</Fn>} sub={<Num>0.2</Num>} />
          <Paren><Sup base={<SubSup base={<V>a</V>} sub={<V>k</V>} sup={<Layer />} />} sup={<V>&#x22a4;</V>} /><Bracket>{Wk}<H node="i" /><Op>&#x2225;</Op>{Wk}<H node="j" /></Bracket></Paren>
        </Row>
      ),
      gloss: 'Head k scores how much neighbour j matters to node i from both their features (LeakyReLU with slope 0.2 below zero).',
    },
    {
      key: 'gat-softmax',
      math: (
        <Row>
          {alpha('j')}<Op>=</Op><Sub base={<Fn>softmax</Fn>} sub={<V>j</V>} /><Paren>{e('j')}</Paren><Op>=</Op>
          <Frac num={<Row><Fn>exp</Fn><Paren>{e('j')}</Paren></Row>} den={<Row><Big op="&sum;" under={<Neighbours self node="m" />} /><Fn>exp</Fn><Paren>{e('m')}</Paren></Row>} />
        </Row>
      ),
      gloss: `A softmax over the neighbours (and the node itself) turns the scores into weights that sum to 1${c.attnDropout > 0 ? `; dropout ${c.attnDropout} drops some of them while training` : ''}.`,
    },
    {
      key: 'gat-heads',
      math: (
        <Row>
          <H node="i" next /><Op>=</Op><Big op="&#x2225;" under={<Row><V>k</V><Op>=</Op><Num>1</Num></Row>} over={<V>K</V>} />
          <Sigma>{message}</Sigma><Given name={<V>K</V>} value={<Num>{c.heads}</Num>} />
        </Row>
      ),
      gloss: `${nodeTask ? 'Hidden layers: ' : ''}${c.heads} head${c.heads === 1 ? '' : 's'} side by side, each a weighted sum of the neighbours\u2019 features, concatenated (\u2225).`,
    },
  ];
  if (nodeTask) {
    lines.push({
      key: 'gat-out',
      math: (
        <Row>
          <Sub base={<V>z</V>} sub={<V>i</V>} /><Op>=</Op>
          {c.outHeads > 1
            ? <><Frac num={<Num>1</Num>} den={Kout} /><Big op="&sum;" under={<Row><V>k</V><Op>=</Op><Num>1</Num></Row>} over={Kout} />{message}<Given name={Kout} value={<Num>{c.outHeads}</Num>} /></>
            : <>{message}</>}
        </Row>
      ),
      gloss: c.outHeads > 1
        ? `The output layer averages its ${c.outHeads} heads instead of concatenating them, giving one score per class.`
        : 'The output layer has one head and gives one score per class.',
    });
  }
  return lines;
}

function ginLines(c: TrainConfig): FormulaLine[] {
  const inner = c.trainEps
    ? <><Paren><Num>1</Num><Op>+</Op><Sup base={<V>&epsilon;</V>} sup={<Layer />} /></Paren><H node="i" /></>
    : <H node="i" />;
  return [{
    key: 'gin',
    math: (
      <Row>
        <H node="i" next /><Op>=</Op><Sup base={<Fn>MLP</Fn>} sup={<Layer />} />
        <Paren>{inner}<Op>+</Op><Big op="&sum;" under={<Neighbours />} /><H node="j" /></Paren>
        {!c.trainEps && <Given name={<V>&epsilon;</V>} value={<Num>0</Num>} />}
      </Row>
    ),
    gloss: (c.trainEps ? 'The node\u2019s own features, scaled by 1 + \u03b5 with \u03b5 learned, ' : 'The node\u2019s own features (\u03b5 fixed at 0) ')
      + `plus the plain sum of its neighbours\u2019, through a two-layer MLP${c.batchNorm ? ' with batch norm' : ''}: a sum keeps counts that a mean loses.`,
  }];
}

function sgcLines(c: TrainConfig): FormulaLine[] {
  return [
    {
      key: 'sgc',
      math: (
        <Row>
          <V>&#x176;</V><Op>=</Op><Fn>softmax</Fn><Paren><Sup base={<V>S</V>} sup={<V>K</V>} /><V>X</V><V>W</V></Paren>
          <Given name={<V>K</V>} value={<Num>{c.k}</Num>} />
        </Row>
      ),
      gloss: `${c.k} step${c.k === 1 ? '' : 's'} of GCN propagation with no weights or nonlinearity in between, computed once, then a single linear layer (logistic regression).`,
    },
    {
      key: 'sgc-def',
      math: <Row><V>S</V><Op>=</Op><Power base={<Dt />} minusHalf /><At /><Power base={<Dt />} minusHalf /><Op>,</Op><Space /><At /><Op>=</Op><A /><Op>+</Op><I /></Row>,
      gloss: 'S is GCN\u2019s normalized adjacency with self loops.',
    },
  ];
}

function chebLines(c: TrainConfig): FormulaLine[] {
  const T = (k: ReactNode) => <Sub base={<V>T</V>} sub={k} />;
  const Lh = <Row><V>L</V><Op>&minus;</Op><I /></Row>;
  return [
    {
      key: 'cheb',
      math: (
        <Row>
          <HM next /><Op>=</Op>
          <Sigma><Big op="&sum;" under={<Row><V>k</V><Op>=</Op><Num>0</Num></Row>} over={<Row><V>K</V><Op>&minus;</Op><Num>1</Num></Row>} />{T(<V>k</V>)}<Paren>{Lh}</Paren><HM /><SubSup base={<V>&Theta;</V>} sub={<V>k</V>} sup={<Layer />} /></Sigma>
          <Given name={<V>K</V>} value={<Num>{c.k}</Num>} />
        </Row>
      ),
      gloss: `A polynomial of degree ${c.k - 1} in the Laplacian, one weight matrix \u0398\u2096 per term, so each node hears nodes up to ${c.k - 1} hop${c.k === 2 ? '' : 's'} away.`,
    },
    {
      key: 'cheb-laplacian',
      math: <Row><V>L</V><Op>=</Op><I /><Op>&minus;</Op><Power base={<D />} minusHalf /><A /><Power base={<D />} minusHalf /></Row>,
      gloss: 'L is the normalized Laplacian, its eigenvalues in [0, 2]; L \u2212 I moves them to [\u22121, 1], where the Chebyshev polynomials stay bounded.',
    },
    {
      key: 'cheb-def',
      math: (
        <Row>
          {T(<Num>0</Num>)}<Op>=</Op><Num>1</Num><Op>,</Op><Space em={0.5} />
          {T(<Num>1</Num>)}<Op>=</Op><V>x</V><Op>,</Op><Space em={0.5} />
          {T(<V>k</V>)}<Op>=</Op><Num>2</Num><V>x</V>{T(<Row><V>k</V><Op>&minus;</Op><Num>1</Num></Row>)}<Op>&minus;</Op>{T(<Row><V>k</V><Op>&minus;</Op><Num>2</Num></Row>)}
        </Row>
      ),
      gloss: 'The Chebyshev polynomials, by their three-term recurrence: T\u2096 reaches k hops.',
    },
  ];
}

function rgcnLines(c: TrainConfig): FormulaLine[] {
  const nodeTask = outputLayerIs(c, 'rgcn');
  const perRelation = <><Big op="&sum;" under={<Neighbours rel={<V>r</V>} />} /><Frac num={<Num>1</Num>} den={<Sub base={<V>c</V>} sub={<Row><V>i</V><Op>,</Op><V>r</V></Row>} />} /><W sub={<V>r</V>} /><H node="j" /></>;
  const R = <V>&#x211b;</V>;
  const under = <Row><V>r</V><Op>&isin;</Op>{R}</Row>;
  const cross = c.cross === 'sum'
    ? <><Big op="&sum;" under={under} />{perRelation}</>
    : c.cross === 'mean'
      ? <><Frac num={<Num>1</Num>} den={<Row><Op>|</Op>{R}<Op>|</Op></Row>} /><Big op="&sum;" under={under} />{perRelation}</>
      : <><Big op={c.cross === 'stack' ? '\u2225' : c.cross} under={under} /><Paren>{perRelation}</Paren></>;
  const words: Record<TrainConfig['cross'], string> = {
    sum: 'summed over the edge types', mean: 'averaged over the edge types', max: 'the element-wise maximum over the edge types',
    min: 'the element-wise minimum over the edge types', stack: 'concatenated over the edge types',
  };
  return [
    {
      key: 'rgcn',
      math: <Row><H node="i" next /><Op>=</Op><Sigma><W sub={<Num>0</Num>} /><H node="i" /><Op>+</Op>{cross}</Sigma></Row>,
      gloss: `Each edge type r has its own weight W\u1d63; a node averages its neighbours of each type (c\u1d62,\u1d63 = |\ud835\udca9\u1d63(i)|), ${words[c.cross]}${nodeTask && c.cross !== 'sum' ? ' (the output layer sums)' : ''}, plus its own features under W\u2080.`,
    },
  ];
}

function extraLines(c: TrainConfig): FormulaLine[] {
  const lines: FormulaLine[] = [];
  const deep = c.model !== 'sgc';
  if (deep && c.pairNorm) {
    const x = (i: string) => <Sub base={<V>x</V>} sub={<V>{i}</V>} />;
    const xc = (i: string) => <Sub base={<Tilde><V>x</V></Tilde>} sub={<V>{i}</V>} />;
    lines.push({
      key: 'pairnorm',
      math: (
        <Row>
          {xc('i')}<Op>=</Op>{x('i')}<Op>&minus;</Op><Frac num={<Num>1</Num>} den={<V>n</V>} /><Big op="&sum;" under={<V>j</V>} />{x('j')}<Op>,</Op><Space />
          <Sub base={<Fn>PairNorm</Fn>} sub={<V>i</V>} /><Op>=</Op>
          <Frac num={xc('i')} den={<msqrt><Frac num={<Num>1</Num>} den={<V>n</V>} /><Big op="&sum;" under={<V>j</V>} /><Sup base={<Row><Op>&#x2016;</Op>{xc('j')}<Op>&#x2016;</Op></Row>} sup={<Num>2</Num>} /></msqrt>} />
        </Row>
      ),
      gloss: 'PairNorm, after each hidden layer\u2019s message passing and before its activation: centre the features over all nodes, then rescale them to unit mean square norm, so deep stacks cannot collapse every node onto one point.',
    });
  }
  if (deep && c.residual) {
    lines.push({
      key: 'residual',
      math: <Row><HM next /><Op>=</Op><Sigma><Text>layer</Text><Paren><HM /></Paren></Sigma><Op>+</Op><HM /></Row>,
      gloss: 'Residual: each hidden layer adds its input back to its output (where the widths match), so a deep stack can pass features through unchanged.',
    });
  }
  if (deep && c.jk !== 'none') {
    lines.push({
      key: 'jk',
      math: (
        <Row>
          <Sub base={<V>z</V>} sub={<V>i</V>} /><Op>=</Op><V>W</V>
          <Paren><Big op={c.jk === 'cat' ? '\u2225' : 'max'} under={<Row><V>l</V><Op>=</Op><Num>1</Num></Row>} over={<V>L</V>} /><Sup base={<Sub base={<V>h</V>} sub={<V>i</V>} />} sup={<SmallParen><V>l</V></SmallParen>} /></Paren>
        </Row>
      ),
      gloss: `Jumping knowledge: the classifier reads every layer\u2019s output (${c.jk === 'cat' ? 'concatenated' : 'their element-wise maximum'}), not only the last.`,
    });
  }
  return lines;
}

/** Every line shown for a config: the layer's rule and definitions, then the deep-model extras. */
const linesOf: Record<ModelKind, (c: TrainConfig) => FormulaLine[]> = {
  gcn: gcnLines, sage: sageLines, gat: gatLines, gin: ginLines, sgc: sgcLines, cheb: chebLines, rgcn: rgcnLines,
};

/** The rule of one layer type and the layers (l = 0, 1, ...) that have it. */
export interface FormulaSection {
  readonly kind: ModelKind;
  readonly layers: readonly number[];
  readonly lines: readonly FormulaLine[];
}

/** One section per layer type, in order of first appearance (a mixed stack has several). */
export function formulaSections(c: TrainConfig): FormulaSection[] {
  const kinds = stackKindsOf(c);
  const order = [...new Set(kinds)];
  return order.map((kind) => ({ kind, layers: kinds.flatMap((k, l) => (k === kind ? [l] : [])), lines: linesOf[kind](c) }));
}

/** Every line shown for a config: each layer type's rule and definitions, then the deep-model extras. */
export function formulaLines(c: TrainConfig): FormulaLine[] {
  return [...formulaSections(c).flatMap((s) => s.lines), ...extraLines(c)];
}

function Lines({ lines }: { readonly lines: readonly FormulaLine[] }) {
  return lines.map((l) => (
    <div className="formula-line" key={l.key} data-formula={l.key}>
      {/* MathML does not break lines: a formula wider than its box scrolls sideways. */}
      <div className="formula-math"><math display="block">{l.math}</math></div>
      <p className="formula-gloss">{l.gloss}</p>
    </div>
  ));
}

/** "2 layers (l = 0, 1)", "8 layers (l = 0, …, 7)". */
function layerRange(layers: number): string {
  const L = Math.max(1, layers);
  const ls = L === 1 ? '0' : L === 2 ? '0, 1' : L === 3 ? '0, 1, 2' : `0, \u2026, ${L - 1}`;
  return `${L} layer${L === 1 ? '' : 's'} (l = ${ls})`;
}

export interface LayerFormulaProps {
  /** The config to show; by default the running model's (shownConfig of the store). */
  readonly config?: TrainConfig;
  /** Smaller formulas for a narrow column such as the side panel (about 320 px). */
  readonly compact?: boolean;
}

/** The chosen layer's update rule, rendered with native MathML, a plain-language line under each formula. */
export function LayerFormula({ config, compact = false }: LayerFormulaProps) {
  const shown = usePlayground(shownConfig);
  const c = config ?? shown;
  const sections = formulaSections(c);
  const mixed = sections.length > 1;
  const name = mixed ? 'Mixed stack' : modelInfo[sections[0].kind].name;
  return (
    <section className={compact ? 'layer-formula compact' : 'layer-formula'} aria-label={`${name} layer formula`} data-testid="layer-formula">
      <h3>{c.model === 'sgc' ? 'SGC model' : mixed ? `Mixed stack: ${stackKindsOf(c).map((k) => modelInfo[k].name).join(' \u2192 ')}` : `${name} layer`}</h3>
      {mixed
        ? sections.map((s) => (
          <div className="formula-section" key={s.kind} data-kind={s.kind}>
            <h4>{modelInfo[s.kind].name}: layer{s.layers.length === 1 ? '' : 's'} l = {s.layers.join(', ')}</h4>
            <Lines lines={s.lines} />
          </div>
        ))
        : <Lines lines={sections[0].lines} />}
      <Lines lines={extraLines(c)} />
      <p className="formula-legend">
        {c.model === 'sgc'
          ? 'X: input features, W: the weights, \u0176: class probabilities.'
          : `h\u1d62\u207d\u02e1\u207e: node i\u2019s features after layer l (H: all nodes, a row each); \u03c3 = ${activationNames[c.activation]}; ${layerRange(c.layers)}; biases left out.`}
      </p>
    </section>
  );
}
