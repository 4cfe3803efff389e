import { GraphFormatError } from '../errors';

/** A user's text file: its name (shown in messages) and its contents. */
export interface TextFile {
  readonly name: string;
  readonly text: string;
}

export type Delimiter = 'comma' | 'tab' | 'whitespace';

/** One data line: its 1-based line number in the file and its fields, trimmed and unquoted. */
export interface Row {
  readonly line: number;
  readonly fields: string[];
}

/**
 * The data lines of a delimited text file: blank lines and lines starting with `#` or `%` (after
 * spaces) are skipped, so are a byte-order mark and `\r`. The delimiter is the first data line's:
 * a tab if it has one, else a comma if it has one, else runs of spaces. A field in double quotes
 * loses them (`""` inside stands for `"`); a delimiter inside quotes is not supported. Empty
 * fields at the end of a line (a trailing comma) are dropped.
 */
export function dataRows(file: TextFile): { rows: Row[]; delimiter: Delimiter } {
  const lines = file.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: Row[] = [];
  let delimiter: Delimiter | undefined;
  for (let i = 0; i < lines.length; i++) {
    const s = lines[i].trim();
    if (s === '' || s[0] === '#' || s[0] === '%') continue;
    delimiter ??= s.includes('\t') ? 'tab' : s.includes(',') ? 'comma' : 'whitespace';
    const parts = delimiter === 'whitespace' ? s.split(/\s+/) : s.split(delimiter === 'tab' ? '\t' : ',');
    const fields = parts.map(unquote);
    while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    const empty = fields.indexOf('');
    if (empty >= 0) throw new GraphFormatError(`${file.name} line ${i + 1}`, `value ${empty + 1} is empty`);
    rows.push({ line: i + 1, fields });
  }
  return { rows, delimiter: delimiter ?? 'comma' };
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t[0] === '"' && t[t.length - 1] === '"' ? t.slice(1, -1).replace(/""/g, '"') : t;
}

export function isNumber(s: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s);
}

/** The name without folders and without its last extension ("data/karate.edges" -> "karate"). */
export function baseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** The name without folders. */
export function fileName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}
