import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';

export type ImportFormat = 'csv' | 'xlsx';

export type ImportRow = { rowNumber: number; values: string[] };

/** A file being read row by row: the header first, then the data rows, never the whole file in memory. */
export type ImportRows = { headers: string[]; rows: AsyncIterator<ImportRow> };

const SNIFF_BYTES = 64 * 1024;

/** The first bytes of a file: to pick the CSV delimiter and the text encoding. */
const head = async (path: string): Promise<Buffer> => {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
};

/** UTF-8 (with or without BOM); otherwise GB18030, which Excel in Chinese locales writes for "CSV". */
const detectEncoding = (sample: Buffer): 'utf-8' | 'gb18030' => {
  // A multi-byte character may be cut at the end of the sample: ignore the last 3 bytes.
  const probe = sample.length === SNIFF_BYTES ? sample.subarray(0, sample.length - 3) : sample;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
};

const detectDelimiter = (firstLine: string): string => {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
};

class Gb18030Decoder extends Transform {
  private readonly decoder = new TextDecoder('gb18030');

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(null, this.decoder.decode(chunk, { stream: true }));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.decoder.decode());
  }
}

const openCsv = async (path: string): Promise<AsyncIterator<ImportRow>> => {
  const sample = await head(path);
  const encoding = detectEncoding(sample);
  const text = new TextDecoder(encoding).decode(sample);
  const delimiter = detectDelimiter(text.split(/\r?\n/, 1)[0] ?? '');
  const parser = parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true });
  const source = createReadStream(path);
  source.on('error', (error) => parser.destroy(error));
  if (encoding === 'utf-8') source.pipe(parser);
  else source.pipe(new Gb18030Decoder()).pipe(parser);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { records: number } }>;
  return {
    next: async () => {
      const r = await records.next();
      if (r.done) return { done: true, value: undefined };
      // Row numbers as a spreadsheet shows them: the header is row 1 (blank lines are not counted).
      return { done: false, value: { rowNumber: r.value.info.records, values: r.value.record } };
    },
    return: async () => {
      source.destroy();
      parser.destroy();
      return { done: true, value: undefined };
    },
  };
};

/** A cell as text: numbers as written, dates as ISO, rich text and hyperlinks by their text, formulas by their result. */
const cellText = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
};

const openXlsx = async (path: string): Promise<AsyncIterator<ImportRow>> => {
  // Only the first worksheet; shared strings are cached (the one part that grows with the file).
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  const sheets = workbook[Symbol.asyncIterator]();
  const first = await sheets.next();
  if (first.done) return { next: async () => ({ done: true, value: undefined }) };
  const rows = first.value[Symbol.asyncIterator]();
  return {
    next: async () => {
      const r = await rows.next();
      if (r.done) return { done: true, value: undefined };
      const cells = r.value.values as ExcelJS.CellValue[];
      // `values` is 1-based and sparse.
      const values = Array.from({ length: Math.max(0, cells.length - 1) }, (_, i) => cellText(cells[i + 1]));
      return { done: false, value: { rowNumber: r.value.number, values } };
    },
    return: async () => {
      await rows.return?.(undefined);
      await sheets.return?.(undefined);
      return { done: true, value: undefined };
    },
  };
};

/** Opens an uploaded file and reads its header row (undefined headers: the file has no rows at all). */
export const openImportFile = async (path: string, format: ImportFormat): Promise<ImportRows | undefined> => {
  const rows = format === 'csv' ? await openCsv(path) : await openXlsx(path);
  const header = await rows.next();
  if (header.done) return undefined;
  return { headers: header.value.values.map((h) => h.trim()), rows };
};
