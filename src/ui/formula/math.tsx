import type { ReactNode } from 'react';

/**
 * Tiny builders for MathML Core, so the layer rules read close to how they are written on paper.
 * Notation (the page's, and the spectral view's): node i, its neighbours N(i), features h_i^(l)
 * of layer l (H^(l) as a matrix, a row per node), weights W^(l), activation sigma, adjacency A
 * with degrees D, and with self loops A~ = A + I and D~ (Kipf and Welling's tildes).
 */

type Kids = { readonly children?: ReactNode };

export const Row = ({ children }: Kids) => <mrow>{children}</mrow>;
export const V = ({ children }: Kids) => <mi>{children}</mi>;
/** An upright name of several letters (softmax, MLP). */
export const Fn = ({ children }: Kids) => <mi>{children}</mi>;
export const Op = ({ children, rspace, lspace }: Kids & { readonly rspace?: string; readonly lspace?: string }) => <mo lspace={lspace} rspace={rspace}>{children}</mo>;
export const Num = ({ children }: Kids) => <mn>{children}</mn>;
export const Text = ({ children }: Kids) => <mtext>{children}</mtext>;
export const Space = ({ em = 1 }: { readonly em?: number }) => <mspace width={`${em}em`} />;

export const Sub = ({ base, sub }: { readonly base: ReactNode; readonly sub: ReactNode }) => <msub>{base}{sub}</msub>;
export const Sup = ({ base, sup }: { readonly base: ReactNode; readonly sup: ReactNode }) => <msup>{base}{sup}</msup>;
export const SubSup = ({ base, sub, sup }: { readonly base: ReactNode; readonly sub: ReactNode; readonly sup: ReactNode }) => (
  <msubsup>{base}{sub}{sup}</msubsup>
);
export const Frac = ({ num, den }: { readonly num: ReactNode; readonly den: ReactNode }) => <mfrac>{num}{den}</mfrac>;

/** x with a tilde accent (A~, D~). */
export const Tilde = ({ children }: Kids) => <mover accent="true">{children}<mo stretchy="false">~</mo></mover>;

/** ( ... ) that grows with its content. */
export const Paren = ({ children }: Kids) => <mrow><mo>(</mo>{children}<mo>)</mo></mrow>;
/** ( ... ) at the text's own size: for (l), (i), (x), where a stretched glyph would look too big. */
export const SmallParen = ({ children }: Kids) => <mrow><mo stretchy="false">(</mo>{children}<mo stretchy="false">)</mo></mrow>;
export const Bracket = ({ children }: Kids) => <mrow><mo>[</mo>{children}<mo>]</mo></mrow>;

/** A big operator with limits under (and over) it: sum, max, concatenation. */
export const Big = ({ op, under, over }: { readonly op: string; readonly under: ReactNode; readonly over?: ReactNode }) =>
  over === undefined ? <munder><mo>{op}</mo>{under}</munder> : <munderover><mo>{op}</mo>{under}{over}</munderover>;

/** The layer superscript (l) or (l+1). */
export const Layer = ({ next = false }: { readonly next?: boolean }) => (
  <mrow><mo stretchy="false">(</mo><mi>l</mi>{next && <><mo>+</mo><mn>1</mn></>}<mo stretchy="false">)</mo></mrow>
);

/** h_i^(l), h_j^(l) or h_i^(l+1). */
export const H = ({ node, next = false }: { readonly node: string; readonly next?: boolean }) => (
  <SubSup base={<V>h</V>} sub={<V>{node}</V>} sup={<Layer next={next} />} />
);

/** H^(l) or H^(l+1): the whole layer as a matrix. */
export const HM = ({ next = false }: { readonly next?: boolean }) => <Sup base={<V>H</V>} sup={<Layer next={next} />} />;

/** W^(l), or W_r^(l) with a subscript. */
export const W = ({ sub }: { readonly sub?: ReactNode }) =>
  sub === undefined ? <Sup base={<V>W</V>} sup={<Layer />} /> : <SubSup base={<V>W</V>} sub={sub} sup={<Layer />} />;

/** D^-1/2, D~^-1 ... */
export const Power = ({ base, minusHalf }: { readonly base: ReactNode; readonly minusHalf: boolean }) => (
  <Sup base={base} sup={<mrow><mo>&minus;</mo>{minusHalf ? <Frac num={<Num>1</Num>} den={<Num>2</Num>} /> : <Num>1</Num>}</mrow>} />
);

/** j in N(i), optionally with the node itself: j in N(i) U {i}. */
export const Neighbours = ({ self = false, node = 'j', rel }: { readonly self?: boolean; readonly node?: string; readonly rel?: ReactNode }) => (
  <mrow>
    <V>{node}</V><Op>&isin;</Op>
    {rel === undefined ? <V>&#x1d4a9;</V> : <Sub base={<V>&#x1d4a9;</V>} sub={rel} />}
    <SmallParen><V>i</V></SmallParen>
    {self && <><Op>&cup;</Op><mrow><mo stretchy="false">{'{'}</mo><V>i</V><mo stretchy="false">{'}'}</mo></mrow></>}
  </mrow>
);

/** sigma( ... ) */
export const Sigma = ({ children }: Kids) => <mrow><V>&sigma;</V><Paren>{children}</Paren></mrow>;
