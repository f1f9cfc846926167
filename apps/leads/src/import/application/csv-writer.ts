/** UTF-8 byte order mark: Excel reads a CSV as UTF-8 (Chinese text intact) only with it. */
export const UTF8_BOM = '\uFEFF';

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (`=`, `@`,
 * or `+`/`-` not followed by a phone-like number) is prefixed with `'` (CSV injection).
 */
export const csvCell = (value: string | number | undefined): string => {
  if (value === undefined) return '';
  let s = String(value);
  if (/^[=@\t\r]/.test(s) || /^[+-](?![\d\s()-]*$)/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const csvLine = (cells: readonly (string | number | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;
