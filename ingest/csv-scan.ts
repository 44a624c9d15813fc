// An independent reading of a CSV file's quoting, byte by byte, for what DuckDB's reader cannot
// say on its own: whether a quote left open made it take lines that were records as one value.
// With ignore_errors, a quote opened and never closed makes the reader take the rest of the file
// (or of its 32 MB buffer) as one field and report a single "unterminated quote" reject; the
// records after it are neither loaded nor quarantined. A stray quote that closes it further on
// folds the lines between into one record instead. quoteProblem() turns a scan into a refusal's
// message; csv-stage.ts (refuseLostRecords, after every feed CSV read) and ingest/run.ts
// (csvSniffFailed, for a read that stopped at DuckDB's sniffer) refuse with it.
//
// The grammar is the one every feed read gives DuckDB (FEED_CSV_OPTIONS, ingest/run.ts): delimiter ',', quote '"', escape '"'
// (a doubled quote inside a quoted value), a quote opens a value only at the start of a field
// (elsewhere it is a character like any other, as DuckDB reads it), and a line ends at \n, \r\n
// or \r. A blank line is no record (DuckDB skips it). Files are read in chunks, asynchronously.
import { open } from 'node:fs/promises';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const CHUNK = 1 << 20;

/** Parser states: field start, unquoted value, inside a quoted value, a quote just seen inside one. */
const S = { Start: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type State = (typeof S)[keyof typeof S];

export interface CsvScan {
  /** Records, blank lines not counted, the header (or first row) included. */
  records: number;
  /** Fields of the first record (the header). */
  columns: number;
  /** Physical lines up to the last one with content (line breaks inside quoted values count). */
  lines: number;
  /** The first quote never closed (the file ends inside it), when a later line has content. */
  unclosed: { line: number; linesAfter: number } | null;
  /** A quote never closed, opened on the last line with content (a file cut short?). */
  unclosedAtEnd: { line: number } | null;
  /**
   * The first quoted value that holds, between its first and last line, a whole line that read
   * alone is a record of `columns` fields: lines that were records, folded into one value.
   */
  swallowing: { line: number; closedOn: number; recordLines: number } | null;
  /**
   * The first quoted value over several lines whose closing quote is followed by other text
   * ('"5' on one line, 'Oka"for' on the next): a stray quote that ended a quote left open.
   */
  badlyClosed: { line: number; closedOn: number } | null;
  /** The first quoted value that runs over more than one line (which may be legitimate). */
  multiline: { line: number; closedOn: number } | null;
  /** The first closing quote followed by something other than ',', a line end or the file's end. */
  strayAfterQuote: { line: number } | null;
}

/** Non-blank lines of `file` split at \n (a line of only \r is blank): a quick count to compare. */
export async function countLines(file: string): Promise<number> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let n = 0;
  let content = false; // the current line has a byte other than \r
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const b = bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead);
      let from = 0;
      for (;;) {
        const nl = b.indexOf(LF, from);
        const end = nl === -1 ? b.length : nl;
        if (!content && end > from) {
          // Any byte other than \r makes the line count (a line of \r alone is blank).
          for (let i = from; i < end; i++) {
            if (b[i] !== CR) {
              content = true;
              break;
            }
          }
        }
        if (nl === -1) break;
        if (content) n++;
        content = false;
        from = nl + 1;
      }
    }
  } finally {
    await fh.close();
  }
  return content ? n + 1 : n;
}

/** What scanChunk carries from one chunk to the next. */
interface ScanState {
  out: CsvScan;
  state: State;
  /** Physical line of the current byte, and of the last byte that is not a line break. */
  line: number;
  lastContentLine: number;
  /** The last byte was \r (a \n right after it ends no second line). */
  prevCR: boolean;
  /** Fields of the current record before the current one; whether the record has any byte. */
  fields: number;
  recordHasBytes: boolean;
  /** Line where the current quoted value opened. */
  quoteLine: number;
  /** A line begun inside a quoted value, read alone as if it were a record (its own parser). */
  inner: boolean;
  innerState: State;
  innerFields: number;
  innerBytes: boolean;
  /** Whole lines of the current quoted value that read as records. */
  recordLines: number;
}

/** Reads `file` through once with the feed CSV grammar; see CsvScan. */
export async function scanCsv(file: string): Promise<CsvScan> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const st: ScanState = {
    out: { records: 0, columns: 0, lines: 0, unclosed: null, unclosedAtEnd: null, swallowing: null, badlyClosed: null, multiline: null, strayAfterQuote: null },
    state: S.Start, line: 1, lastContentLine: 0, prevCR: false, fields: 0, recordHasBytes: false, quoteLine: 0,
    inner: false, innerState: S.Start, innerFields: 0, innerBytes: false, recordLines: 0,
  };
  try {
    let first = true;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const bom = first && bytesRead >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
      first = false;
      scanChunk(st, buf, bom ? 3 : 0, bytesRead);
    }
  } finally {
    await fh.close();
  }
  const out = st.out;
  if (st.state === S.Quoted) {
    // The file ends inside a quoted value.
    const linesAfter = Math.max(0, st.lastContentLine - st.quoteLine);
    if (linesAfter > 0) out.unclosed = { line: st.quoteLine, linesAfter };
    else out.unclosedAtEnd = { line: st.quoteLine };
    if (st.recordLines > 0 && !out.swallowing) out.swallowing = { line: st.quoteLine, closedOn: st.lastContentLine, recordLines: st.recordLines };
    st.recordHasBytes = true;
  } else if (st.state === S.QuoteInQuoted) {
    if (st.line > st.quoteLine && !out.multiline) out.multiline = { line: st.quoteLine, closedOn: st.line };
    if (st.recordLines > 0 && !out.swallowing) out.swallowing = { line: st.quoteLine, closedOn: st.line, recordLines: st.recordLines };
  }
  if (st.recordHasBytes) {
    out.records++;
    if (out.records === 1) out.columns = st.fields + 1;
  }
  out.lines = st.lastContentLine; // a file that ends with a line break has no last, empty line
  return out;
}

/**
 * The grammar over buf[from, to). State lives in locals while the loop runs (this is the hot path:
 * a file with a quoted line break is read through on every load) and goes back into `st` after.
 */
function scanChunk(st: ScanState, buf: Buffer, from: number, to: number): void {
  const out = st.out;
  let { state, line, lastContentLine, prevCR, fields, recordHasBytes, quoteLine, inner, innerState, innerFields, innerBytes, recordLines } = st;
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c === LF || c === CR) {
      if (c === LF && prevCR) {
        prevCR = false;
        continue; // the \n of a \r\n: the \r already ended the line
      }
      prevCR = c === CR;
      line++;
      if (state === S.Quoted) {
        // A line inside the quoted value ends. If it began inside it too, was it a record?
        if (inner && innerBytes && innerState !== S.Quoted && innerState !== S.QuoteInQuoted && innerFields + 1 === out.columns) recordLines++;
        inner = true;
        innerState = S.Start;
        innerFields = 0;
        innerBytes = false;
        continue;
      }
      if (state === S.QuoteInQuoted) {
        // The quote before the line break closed the value (opened on quoteLine, closed on line - 1).
        if (line - 1 > quoteLine && !out.multiline) out.multiline = { line: quoteLine, closedOn: line - 1 };
        if (recordLines > 0 && !out.swallowing) out.swallowing = { line: quoteLine, closedOn: line - 1, recordLines };
        inner = false;
        recordLines = 0;
      }
      // The record ends.
      if (recordHasBytes) {
        out.records++;
        if (out.records === 1) out.columns = fields + 1;
      }
      fields = 0;
      recordHasBytes = false;
      state = S.Start;
      continue;
    }
    prevCR = false;
    lastContentLine = line;

    if (state === S.Quoted) {
      if (c === QUOTE) state = S.QuoteInQuoted;
      if (inner) {
        // The line read alone: the same grammar, within one line.
        innerBytes = true;
        if (innerState === S.Start) {
          if (c === COMMA) innerFields++;
          else innerState = c === QUOTE ? S.Quoted : S.Unquoted;
        } else if (innerState === S.Unquoted) {
          if (c === COMMA) {
            innerFields++;
            innerState = S.Start;
          }
        } else if (innerState === S.Quoted) {
          if (c === QUOTE) innerState = S.QuoteInQuoted;
        } else if (c === QUOTE) {
          innerState = S.Quoted;
        } else if (c === COMMA) {
          innerFields++;
          innerState = S.Start;
        } else {
          innerState = S.Unquoted;
        }
      }
      continue;
    }
    if (state === S.QuoteInQuoted) {
      if (c === QUOTE) {
        state = S.Quoted; // a doubled quote: one quote character in the value
        if (inner) {
          innerBytes = true;
          if (innerState === S.Start) innerState = S.Quoted;
          else if (innerState === S.Quoted) innerState = S.QuoteInQuoted;
          else if (innerState === S.QuoteInQuoted) innerState = S.Quoted;
        }
        continue;
      }
      // The quote before this byte closed the value.
      if (line > quoteLine && !out.multiline) out.multiline = { line: quoteLine, closedOn: line };
      if (recordLines > 0 && !out.swallowing) out.swallowing = { line: quoteLine, closedOn: line, recordLines };
      inner = false;
      recordLines = 0;
      if (c === COMMA) {
        fields++;
        state = S.Start;
      } else {
        // Text after the closing quote: DuckDB rejects the record; it goes on to the line end.
        if (!out.strayAfterQuote) out.strayAfterQuote = { line };
        if (line > quoteLine && !out.badlyClosed) out.badlyClosed = { line: quoteLine, closedOn: line };
        state = S.Unquoted;
      }
      continue;
    }
    // Start or Unquoted
    recordHasBytes = true;
    if (c === COMMA) {
      fields++;
      state = S.Start;
    } else if (c === QUOTE && state === S.Start) {
      state = S.Quoted;
      quoteLine = line;
      inner = false;
      recordLines = 0;
    } else {
      state = S.Unquoted;
    }
  }
  Object.assign(st, { state, line, lastContentLine, prevCR, fields, recordHasBytes, quoteLine, inner, innerState, innerFields, innerBytes, recordLines });
}

const more = (n: number) => `${n.toLocaleString('en-US')} more line${n === 1 ? '' : 's'}`;
const REFUSED = 'the file was refused and nothing was loaded';
const FIX = 'close the quote (a quote inside a value is written twice: "") and send the file again';

/**
 * What is wrong with the quoting of a scanned file, as a refusal's message (`name`: the file's
 * path or name, first in the message), or null when the scan finds nothing that loses records.
 * `records`: how many records the DuckDB reader made of the file (kept + rejected + the header),
 * or null when it made none (its sniffer stopped); then a quote followed by other text, or one
 * left open on the last line, is named as well.
 */
export function quoteProblem(name: string, scan: CsvScan, records: number | null): string | null {
  if (scan.unclosed) {
    const { line, linesAfter } = scan.unclosed;
    return `${name}: line ${line.toLocaleString('en-US')} opens a quote that is never closed, so the CSV reader takes the rest of the file (${more(linesAfter)}) as one value, and the records there would be neither loaded nor quarantined; ${REFUSED}; ${FIX}`;
  }
  if (scan.swallowing) {
    const { line, closedOn, recordLines } = scan.swallowing;
    return `${name}: line ${line.toLocaleString('en-US')} opens a quote that is only closed on line ${closedOn.toLocaleString('en-US')}, so the CSV reader takes the lines between (${recordLines === 1 ? 'one that reads as a record' : `${recordLines.toLocaleString('en-US')} that read as records`}) as one value, and those records would be neither loaded nor quarantined; ${REFUSED}; ${FIX}`;
  }
  if (scan.badlyClosed) {
    const { line, closedOn } = scan.badlyClosed;
    return `${name}: line ${line.toLocaleString('en-US')} opens a quote that runs on to line ${closedOn.toLocaleString('en-US')}, where a quote followed by other text ends it, so the CSV reader takes the lines between as one value, and the records there would be neither loaded nor quarantined; ${REFUSED}; ${FIX}`;
  }
  const stray = scan.strayAfterQuote
    ? `line ${scan.strayAfterQuote.line.toLocaleString('en-US')}: a quoted value is followed by other text before the next comma`
    : null;
  if (records === null) {
    if (stray) return `${name}: ${stray}, and the CSV reader could not make out the file's rows; ${REFUSED}; ${FIX}`;
    if (scan.unclosedAtEnd) {
      return `${name}: line ${scan.unclosedAtEnd.line.toLocaleString('en-US')}, the last, opens a quote that is never closed (is the file cut short?), and the CSV reader could not make out the file's rows; ${REFUSED}`;
    }
    return null;
  }
  if (records !== scan.records && (stray || scan.multiline)) {
    const where = stray ?? `line ${scan.multiline!.line.toLocaleString('en-US')}: a quoted value runs on to line ${scan.multiline!.closedOn.toLocaleString('en-US')}`;
    return `${name}: the CSV reader made ${records.toLocaleString('en-US')} records of the ${scan.records.toLocaleString('en-US')} the file holds (${where}); ${REFUSED}`;
  }
  return null;
}
