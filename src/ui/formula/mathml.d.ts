import 'react';

/** MathML Core elements for JSX (Chromium 109+, Firefox, Safari render them natively). */
type MathProps = import('react').HTMLAttributes<MathMLElement> & {
  readonly display?: 'block' | 'inline';
  readonly displaystyle?: 'true' | 'false';
  readonly mathvariant?: 'normal';
  readonly accent?: 'true' | 'false';
  readonly stretchy?: 'true' | 'false';
  readonly form?: 'prefix' | 'infix' | 'postfix';
  readonly lspace?: string;
  readonly rspace?: string;
  readonly width?: string;
  readonly alttext?: string;
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      math: MathProps;
      mrow: MathProps;
      mi: MathProps;
      mo: MathProps;
      mn: MathProps;
      mtext: MathProps;
      mspace: MathProps;
      msub: MathProps;
      msup: MathProps;
      msubsup: MathProps;
      mfrac: MathProps;
      msqrt: MathProps;
      munder: MathProps;
      mover: MathProps;
      munderover: MathProps;
    }
  }
}
