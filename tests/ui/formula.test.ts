import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { graphRecipe, nodeRecipe, type ModelKind } from '../../src/models/spec';
import { defaultConfig, type TrainConfig } from '../../src/train/protocol';
import { formulaLines, formulaSections, LayerFormula } from '../../src/ui/formula/LayerFormula';

const cfg = (model: ModelKind, patch: Partial<TrainConfig> = {}): TrainConfig => ({ ...defaultConfig, ...nodeRecipe(model).spec, ...patch });
const render = (c: TrainConfig) => renderToStaticMarkup(createElement(LayerFormula, { config: c }));
/** The text a reader sees, tags dropped (MathML leaves are the symbols). */
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&');
const tilde = (x: string) => `<mover accent="true"><mi>${x}</mi><mo stretchy="false">~</mo></mover>`;
const minusHalf = '<mrow><mo>\u2212</mo><mfrac><mn>1</mn><mn>2</mn></mfrac></mrow>';

describe('LayerFormula renders native MathML for every model and option', () => {
  it('every combination renders block MathML with a gloss under each formula', () => {
    const combos: TrainConfig[] = [];
    for (const selfLoops of [true, false]) for (const norm of ['sym', 'row'] as const) combos.push(cfg('gcn', { selfLoops, norm }));
    for (const aggr of ['mean', 'max', 'sum'] as const) combos.push(cfg('sage', { aggr }));
    for (const outHeads of [1, 4]) combos.push(cfg('gat', { outHeads }), cfg('gat', { outHeads, dataset: 'mutag' }));
    for (const trainEps of [true, false]) combos.push(cfg('gin', { trainEps }));
    for (const k of [1, 2, 5]) combos.push(cfg('sgc', { k }), cfg('cheb', { k }));
    for (const cross of ['sum', 'mean', 'max', 'min', 'stack'] as const) combos.push(cfg('rgcn', { cross, dataset: 'mutag' }));
    for (const c of combos) {
      for (const extra of [{}, { pairNorm: true, residual: true, jk: 'cat' as const }]) {
        const html = render({ ...c, ...extra });
        const lines = formulaLines({ ...c, ...extra });
        expect(html.match(/<math display="block">/g)).toHaveLength(lines.length);
        expect(html.match(/class="formula-gloss"/g)).toHaveLength(lines.length);
        for (const l of lines) expect(l.gloss.length).toBeGreaterThan(20);
        expect(html).not.toContain('undefined');
      }
    }
  });

  it('GCN: D~^-1/2 A~ D~^-1/2 H W with self loops, D~^-1 A~ for row normalization, plain A and D without loops', () => {
    const sym = render(cfg('gcn'));
    expect(sym).toContain(`<msup>${tilde('D')}${minusHalf}</msup>${tilde('A')}<msup>${tilde('D')}${minusHalf}</msup>`);
    expect(text(sym)).toContain('=A+I');
    expect(text(sym)).toContain('\u03c3(');
    expect(text(sym)).toContain('\u03c3 = ReLU');
    const row = render(cfg('gcn', { norm: 'row' }));
    expect(row).toContain(`<msup>${tilde('D')}<mrow><mo>\u2212</mo><mn>1</mn></mrow></msup>${tilde('A')}`);
    expect(row).not.toContain(minusHalf);
    const noLoops = render(cfg('gcn', { selfLoops: false }));
    expect(noLoops).toContain(`<msup><mi>D</mi>${minusHalf}</msup><mi>A</mi><msup><mi>D</mi>${minusHalf}</msup>`);
    expect(noLoops).not.toContain(tilde('A'));
    expect(noLoops).toContain('No self loops');
  });

  it('GraphSAGE: root weight plus mean, max or sum of the neighbours', () => {
    const mean = text(render(cfg('sage', { aggr: 'mean' })));
    expect(mean).toContain('Wr(l)hi(l)+W(l)');
    expect(mean).toContain('|\ud835\udca9(i)|');
    expect(mean).toContain('\u2211j\u2208\ud835\udca9(i)');
    expect(text(render(cfg('sage', { aggr: 'max' })))).toContain('maxj\u2208\ud835\udca9(i)');
    const sum = text(render(cfg('sage', { aggr: 'sum' })));
    expect(sum).toContain('\u2211j\u2208\ud835\udca9(i)');
    expect(sum).not.toContain('|\ud835\udca9(i)|');
  });

  it('GAT: LeakyReLU 0.2 scores, softmax over neighbours and self, heads concatenated; output heads averaged', () => {
    const t = text(render(cfg('gat', { outHeads: 4 })));
    expect(t).toContain('LeakyReLU0.2');
    expect(t).toContain('softmaxj');
    expect(t).toContain('\u2208\ud835\udca9(i)\u222a{i}');
    expect(t).toContain('\u2225k=1K');
    expect(t).toContain('K=8');
    expect(t).toContain('1Kout'); // 1 / K_out in front of the output layer's mean
    expect(t).toContain('Kout=4');
    // A graph task has no output GAT layer: no averaging line.
    expect(formulaLines(cfg('gat', { dataset: 'mutag' })).map((l) => l.key)).not.toContain('gat-out');
  });

  it('GIN: MLP((1 + eps) h_i + sum h_j) with eps learned, or eps = 0', () => {
    const learned = text(render(cfg('gin', { trainEps: true })));
    expect(learned).toContain('MLP(l)((1+\u03b5(l))hi(l)+\u2211');
    const fixed = text(render(cfg('gin', { trainEps: false })));
    expect(fixed).toContain('MLP(l)(hi(l)+\u2211');
    expect(fixed).toContain('\u03b5=0');
  });

  it('SGC: softmax(S^K X W) with K; ChebNet: sum over k < K of T_k(L - I) H Theta_k', () => {
    const sgc = text(render(cfg('sgc', { k: 3 })));
    expect(sgc).toContain('\u0176=softmax(SKXW)');
    expect(sgc).toContain('K=3');
    expect(render(cfg('sgc'))).toContain(`<mi>S</mi><mo>=</mo><msup>${tilde('D')}${minusHalf}</msup>`);
    const cheb = text(render(cfg('cheb', { k: 3 })));
    expect(cheb).toContain('\u2211k=0K\u22121Tk(L\u2212I)H(l)\u0398k(l)');
    expect(cheb).toContain('K=3');
    expect(cheb).toContain('Tk=2xTk\u22121\u2212Tk\u22122');
  });

  it('R-GCN: sum over relations and their neighbours of W_r h_j / c_{i,r}, plus W_0 h_i; other cross reducers', () => {
    const sum = text(render(cfg('rgcn', { cross: 'sum' })));
    expect(sum).toContain('W0(l)hi(l)+\u2211r\u2208\u211b\u2211j\u2208\ud835\udca9r(i)1ci,rWr(l)hj(l)');
    expect(text(render(cfg('rgcn', { cross: 'mean' })))).toContain('1|\u211b|\u2211r\u2208\u211b');
    expect(text(render(cfg('rgcn', { cross: 'max' })))).toContain('maxr\u2208\u211b(');
    expect(text(render(cfg('rgcn', { cross: 'stack' })))).toContain('\u2225r\u2208\u211b(');
  });

  it('PairNorm, residual and jumping knowledge appear only when enabled', () => {
    const plain = formulaLines(cfg('gcn')).map((l) => l.key);
    expect(plain).toEqual(['gcn', 'gcn-def']);
    const deep = render(cfg('gcn', { layers: 8, pairNorm: true, residual: true, jk: 'max' }));
    expect(text(deep)).toContain('PairNormi=');
    expect(deep).toContain('<msqrt>');
    expect(text(deep)).toContain('H(l+1)=\u03c3(layer(H(l)))+H(l)');
    expect(text(deep)).toContain('maxl=1L');
    expect(text(deep)).toContain('8 layers (l = 0, \u2026, 7)');
    expect(text(render(cfg('gcn')))).toContain('2 layers (l = 0, 1)');
    // SGC has no layer stack for them to act on.
    expect(formulaLines(cfg('sgc', { pairNorm: true, residual: true })).map((l) => l.key)).toEqual(['sgc', 'sgc-def']);
  });

  it('a mixed stack shows each layer type once, with the layers that have it', () => {
    const c = cfg('gcn', { layers: 3, stack: 'gcn,gat,gcn', residual: true });
    expect(formulaSections(c).map((s) => [s.kind, s.layers])).toEqual([['gcn', [0, 2]], ['gat', [1]]]);
    const html = render(c);
    expect(html).toContain('<h3>Mixed stack: GCN \u2192 GAT \u2192 GCN</h3>');
    expect(html).toContain('<h4>GCN: layers l = 0, 2</h4>');
    expect(html).toContain('<h4>GAT: layer l = 1</h4>');
    expect(html.match(/data-formula="residual"/g)).toHaveLength(1);
    // GAT is not the output layer here: no averaged output heads.
    expect(formulaLines({ ...c, outHeads: 4 }).map((l) => l.key)).not.toContain('gat-out');
    expect(formulaLines(cfg('gcn', { layers: 2, stack: 'gcn,gat', outHeads: 4 })).map((l) => l.key)).toContain('gat-out');
    expect(html).not.toContain('undefined');
  });

  it('reads the running config from the store when given none', () => {
    const html = renderToStaticMarkup(createElement(LayerFormula));
    expect(html).toContain('<section class="layer-formula" aria-label="GCN layer formula"');
    expect(renderToStaticMarkup(createElement(LayerFormula, { compact: true }))).toContain('class="layer-formula compact"');
    expect(graphRecipe('gin').spec.model).toBe('gin');
  });
});
