import { useEffect, useId, useState } from 'react';

interface Props {
  readonly label: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer?: boolean;
  readonly disabled?: boolean;
  readonly onChange: (v: number) => void;
}

/**
 * A labelled number input that keeps what the user types (an empty box, "0.") while they type,
 * and only hands valid, in-range numbers to the store.
 */
export function NumberField({ label, value, min, max, step, integer, disabled, onChange }: Props) {
  const id = useId();
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const accept = (t: string): number | null => {
    const v = Number(t);
    const ok = t.trim() !== '' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
    return ok ? v : null;
  };
  const valid = accept(text) !== null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" inputMode="decimal" min={min} max={max} step={step}
        value={text} disabled={disabled} aria-invalid={!valid}
        onChange={(e) => {
          setText(e.target.value);
          const v = accept(e.target.value);
          if (v !== null) onChange(v);
        }}
        onBlur={() => setText(String(value))} />
      {!valid && <span className="field-error">{integer ? 'Whole number' : 'Number'} from {min} to {max}</span>}
    </div>
  );
}
