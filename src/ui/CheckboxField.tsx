import { useId } from 'react';

interface Props {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (v: boolean) => void;
  /** A short explanation after the label, read out with it (aria-describedby). */
  readonly hint?: string;
}

/** A labelled checkbox: the whole label is the click target, Space toggles it. */
export function CheckboxField({ label, checked, onChange, hint }: Props) {
  const id = useId();
  return (
    <div className="field check">
      <input id={id} type="checkbox" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {hint && <span className="field-hint" id={`${id}-hint`}>{hint}</span>}
    </div>
  );
}
