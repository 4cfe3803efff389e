import { type ReactNode, useId } from 'react';

export interface Option<T extends string | number> {
  readonly value: T;
  readonly label: string;
  readonly disabled?: boolean;
}

export interface OptionGroup<T extends string | number> {
  readonly label: string;
  readonly options: readonly Option<T>[];
}

interface Props<T extends string | number> {
  readonly label: string;
  readonly value: T;
  /** Plain options, or groups of them (shown as <optgroup>). */
  readonly options: readonly Option<T>[] | readonly OptionGroup<T>[];
  readonly onChange: (v: T) => void;
  /** A line under the field, read out with it (aria-describedby). */
  readonly hint?: ReactNode;
  /** Label above a full-width select instead of beside a narrow one. */
  readonly wide?: boolean;
  readonly testId?: string;
}

const isGroups = <T extends string | number>(o: Props<T>['options']): o is readonly OptionGroup<T>[] =>
  o.length > 0 && 'options' in o[0];

function renderOption<T extends string | number>(o: Option<T>) {
  return <option key={o.value} value={o.value} disabled={o.disabled}>{o.label}</option>;
}

/** A labelled select in NumberField's pattern; values keep their type (number or string). */
export function SelectField<T extends string | number>({ label, value, options, onChange, hint, wide, testId }: Props<T>) {
  const id = useId();
  const flat: readonly Option<T>[] = isGroups(options) ? options.flatMap((g) => g.options) : options;
  return (
    <div className={wide ? 'field select wide' : 'field select'}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} data-testid={testId} aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const picked = flat.find((o) => String(o.value) === e.target.value);
          if (picked) onChange(picked.value);
        }}>
        {isGroups(options)
          ? options.map((g) => <optgroup key={g.label} label={g.label}>{g.options.map(renderOption)}</optgroup>)
          : options.map(renderOption)}
      </select>
      {hint && <p className="field-hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}
