// The independent reading of a CSV file's quoting (ingest/csv-scan.ts) that decides whether a
// quote made DuckDB's reader lose records: what it finds in small files written here, and that
// legitimate quoting (line breaks and doubled quotes inside quoted values, CRLF, a byte-order
// mark, a line break split across its 1 MiB read chunks) gives no refusal.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countLines, quoteProblem, scanCsv } from '../../ingest/csv-scan.ts';
import { tempDir } from '../helpers/fixtures.ts';

const dir = tempDir('odstat-csv-scan-');
let n = 0;
function file(text: string | Buffer): string {
  const f = join(dir, `f${++n}.csv`);
  writeFileSync(f, text);
  return f;
}
const rowsOf = (count: number, edit: (i: number, line: string) => string = (_, l) => l) =>
  ['id,kind,n', ...Array.from({ length: count }, (_, i) => edit(i, `${i},a,${i % 7}`))].join('\n') + '\n';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scanCsv and quoteProblem', () => {
  it('a quote never closed, with lines after it: found, and refused naming its line', async () => {
    const f = file(rowsOf(10, (i, l) => (i === 4 ? '4,"a,1' : l)));
    const scan = await scanCsv(f);
    expect(scan.unclosed).toEqual({ line: 6, linesAfter: 5 });
    expect(scan.records).toBe(6); // the header, four records, and the one that runs to the end
    expect(quoteProblem('f.csv', scan, 6)).toMatch(/^f\.csv: line 6 opens a quote that is never closed, so the CSV reader takes the rest of the file \(5 more lines\) as one value/);
    expect(await countLines(f)).toBe(11);
  });

  it('a quote never closed on the last line (a file cut short): nothing after it, no refusal', async () => {
    for (const tail of ['9,"a,1', '9,"a,1\n', '9,"a,1\r\n\n']) {
      const scan = await scanCsv(file(rowsOf(5) + tail));
      expect(scan.unclosed).toBeNull();
      expect(scan.unclosedAtEnd).toEqual({ line: 7 });
      expect(quoteProblem('f.csv', scan, 7)).toBeNull();
      // Named only when the reader's sniffer stopped at it.
      expect(quoteProblem('f.csv', scan, null)).toMatch(/^f\.csv: line 7, the last, opens a quote that is never closed \(is the file cut short\?\)/);
    }
  });

  it('a quote closed lines later by a stray one: the whole lines between that read as records are counted', async () => {
    const scan = await scanCsv(file(rowsOf(20, (i, l) => (i === 4 ? '4,"a,1' : i === 9 ? '9,a",2' : l))));
    expect(scan.swallowing).toEqual({ line: 6, closedOn: 11, recordLines: 4 });
    expect(quoteProblem('f.csv', scan, 16)).toMatch(/line 6 opens a quote that is only closed on line 11, .*\(4 that read as records\)/);
    // Closed on the very next line by a quote followed by other text (a stray quote in a value):
    // no whole line between, but no legitimate quoted value ends so.
    const stray = await scanCsv(file(rowsOf(20, (i, l) => (i === 4 ? '4,"a,1' : i === 5 ? '5,Oka"for,2' : l))));
    expect(stray.swallowing).toBeNull();
    expect(stray.badlyClosed).toEqual({ line: 6, closedOn: 7 });
    expect(quoteProblem('f.csv', stray, 19)).toMatch(/line 6 opens a quote that runs on to line 7, where a quote followed by other text ends it/);
    // Closed on the very next line by a quote at the end of a value: not found (one record folded
    // into its neighbour, which the reader rejects or keeps as one; see docs/reliability.md).
    const next = await scanCsv(file(rowsOf(20, (i, l) => (i === 4 ? '4,"a,1' : i === 5 ? '5,a",2' : l))));
    expect(next).toMatchObject({ swallowing: null, badlyClosed: null, multiline: { line: 6, closedOn: 7 } });
    expect(quoteProblem('f.csv', next, 20)).toBeNull();
  });

  it('legitimate quoting: line breaks, commas and doubled quotes inside quoted values, CRLF, a BOM', async () => {
    const text = 'id,kind,n\r\n1,"HARTFORD, CT\n(41.76, -72.67)",2\r\n"2\r\nb","say ""hi""",3\r\n3,"a\n\n\nb",4\r\n';
    const scan = await scanCsv(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
    expect(scan).toMatchObject({ records: 4, columns: 3, unclosed: null, swallowing: null, badlyClosed: null, strayAfterQuote: null, multiline: { line: 2, closedOn: 3 } });
    expect(quoteProblem('f.csv', scan, 4)).toBeNull();
    // The reader made other than 4 records of it, around a quote running over lines: refused.
    expect(quoteProblem('f.csv', scan, 3)).toMatch(/the CSV reader made 3 records of the 4 the file holds \(line 2: a quoted value runs on to line 3\)/);
  });

  it('blank lines are no records; a line of spaces is one', async () => {
    const f = file('a,b\n1,2\n\n\r\n3,4\n   \n\n');
    expect((await scanCsv(f)).records).toBe(4);
    expect(await countLines(f)).toBe(4);
  });

  it('a quote followed by other text: named only when the reader could not make out the rows', async () => {
    const scan = await scanCsv(file(rowsOf(5, (i, l) => (i === 2 ? '2,"a"x,1' : l))));
    expect(scan.strayAfterQuote).toEqual({ line: 4 });
    expect(quoteProblem('f.csv', scan, 6)).toBeNull();
    expect(quoteProblem('f.csv', scan, null)).toMatch(/^f\.csv: line 4: a quoted value is followed by other text before the next comma/);
  });

  it('a CRLF and a quote split across the 1 MiB read chunks', async () => {
    const head = 'id,kind,n\r\n';
    const filler = (len: number) => `1,${'x'.repeat(len)},1\r\n`;
    // Line 2 ends so that its \r is the last byte of the first chunk and \n the first of the next.
    const a = filler((1 << 20) - head.length - 5);
    expect(Buffer.byteLength(head + a)).toBe((1 << 20) + 1);
    const scan = await scanCsv(file(head + a + '2,"open\r\n3,b,1\r\n'));
    expect(scan.unclosed).toEqual({ line: 3, linesAfter: 1 });
    expect(scan.records).toBe(3);
  });
});
