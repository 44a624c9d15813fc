import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomLcg } from 'd3';
import type { Duck } from '../../sql/duckdb.ts';
import { rows, type Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { IngestError, runIngest, type Adapter } from '../../ingest/run.ts';
import { chooseAdapter, ingestFeedFile } from '../../ingest/feeds/index.ts';
import { emsNemsisXmlAdapter } from '../../ingest/feeds/ems-nemsis-xml.ts';
import { EMS_CSV_COLUMNS, emsCsvAdapter, type EmsCsvColumn } from '../../ingest/feeds/ems-csv.ts';
import { emsTempeAdapter } from '../../ingest/feeds/ems-tempe.ts';
import { NEMSIS_SEQUENCES } from '../../ingest/feeds/nemsis-xsd-model.ts';
import { INDICATORS } from '../../sql/indicators/index.ts';
import { INGEST, REPO, TEST_SEED, openStores, tempDir } from '../helpers/fixtures.ts';
import { duckRows } from '../helpers/duck.ts';

const NEMSIS = join(REPO, 'fixtures', 'samples', 'nemsis');
const TEMPE_CSV = join(REPO, 'fixtures', 'samples', 'tempe', 'Opioid_EMS_Calls.csv');
const TEMPE_DIR = join(REPO, 'fixtures', 'jurisdictions', 'tempe');
const sample = (name: string) => join(NEMSIS, name);
const OVERDOSE = sample('2025-EMS-1-Overdose_v351.full.xml');
/** A TIMESTAMPTZ as DuckDB returns it ('2024-10-07 19:22:01-05', in the session's zone) → epoch ms. */
const instant = (v: unknown) => Date.parse(String(v).replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));

describe('EMS ingest', () => {
  let duck: Duck;
  let ops: Ops;
  let dir: string;

  beforeAll(async () => {
    ({ duck, ops } = await openStores());
    dir = tempDir('odstat-ems-');
    const c = await duck.connect();
    try {
      await loadJurisdiction(c, TEMPE_DIR);
    } finally {
      c.closeSync();
    }
  });
  afterAll(async () => {
    duck?.close();
    await ops?.close();
  });

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);
  async function refusal(adapter: Adapter, file: string, opts = INGEST): Promise<IngestError> {
    const err = await runIngest(duck, ops.db, adapter, file, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    return err as IngestError;
  }
  /** A copy of a sample with text replaced, written to the temp folder. */
  function derive(from: string, name: string, edits: [string | RegExp, string][]): string {
    let text = readFileSync(from, 'utf8');
    for (const [a, b] of edits) {
      const next = text.replace(a, b);
      expect(next, `edit ${String(a)} applies to ${name}`).not.toBe(text);
      text = next;
    }
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  }
  const pcr = (id: string) =>
    q<Record<string, unknown>>(`SELECT * EXCLUDE (ingest_run_id, source_sha256) FROM ems_encounters WHERE record_id = $id`, { id });

  describe('NEMSIS v3.5.1 XML test cases', () => {
    const passing = readdirSync(NEMSIS).filter((f) => /^2025-EMS-.*\.xml$/.test(f)).sort();

    it('loads each public EMS test case as one accepted encounter', async () => {
      expect(passing).toHaveLength(6);
      for (const f of passing) {
        const text = readFileSync(sample(f), 'utf8');
        const reports = (text.match(/<PatientCareReport /g) ?? []).length;
        const report = await runIngest(duck, ops.db, emsNemsisXmlAdapter, sample(f), INGEST);
        expect({ f, status: report.status, in: report.rowsIn, ok: report.rowsAccepted, bad: report.rowsRejected }).toEqual({
          f,
          status: 'succeeded',
          in: reports,
          ok: reports,
          bad: 0,
        });
        expect(report.definitionVersions).toEqual({ ems: 'nemsis-opioid-2025-05' });
      }
      // Five reports: the overdose case's full and national files share eRecord.01, and the
      // later one replaced the earlier.
      const got = await q<{ record_id: string }>(`SELECT record_id FROM ems_encounters WHERE jurisdiction_id = 'nyc' ORDER BY 1`);
      expect(got.map((r) => r.record_id)).toEqual([
        '2025-EMS-1-Overdose_v351',
        '2025-EMS-2-Suicide_v351',
        '2025-EMS-3-MVC_v351',
        '2025-EMS-4-eBike_v351',
        '2025-EMS-5-CPMIH_v351',
      ]);
    });

    it('reads the overdose case as written, and finds it is not an opioid overdose by the NEMSIS definition', async () => {
      expect((await runIngest(duck, ops.db, emsNemsisXmlAdapter, OVERDOSE, INGEST)).status).toBe('unchanged');
      // The full version back in place (other bytes than the first load, so it is read again).
      const full = join(dir, 'overdose-full-again.xml');
      writeFileSync(full, `${readFileSync(OVERDOSE, 'utf8')}\n`);
      expect((await runIngest(duck, ops.db, emsNemsisXmlAdapter, full, INGEST)).rowsAccepted).toBe(1);
      const [r] = await pcr('2025-EMS-1-Overdose_v351');
      expect(r).toMatchObject({
        record_system: 'nemsis',
        unit_notified_date: '2024-10-07',
        age_years: 45,
        sex: 'F',
        primary_symptom: 'R46.4',
        other_symptoms: ['R41.0', 'R46.2', 'R47.81'],
        primary_impression: 'F19', // other psychoactive substance
        secondary_impressions: ['F10.92'], // alcohol
        medications: [], // eMedications.03 "Not Recorded"
        naloxone_given: false,
        naloxone_improved: false,
        disposition: 'transported',
        // Danbury, CT: outside New York City, so no area, and 3 decimals at most.
        scene_lat: 41.396,
        scene_lon: -73.453,
        scene_area: null,
        opioid_overdose: false,
        definition_version: 'nemsis-opioid-2025-05',
      });
      expect(instant(r?.unit_notified_at)).toBe(Date.parse('2024-10-07T20:22:01-04:00')); // eTimes.03
      // person_key = HMAC-SHA256(test key, "howell|maria|1979-04-08") (ePatient.02, .03, .17).
      expect(r?.person_key).toBe(createHmac('sha256', 'odstat-test-linkage-key-32-bytes').update('howell|maria|1979-04-08').digest('hex'));
    });

    it('records medications given with their responses, skipping pertinent negatives', async () => {
      const [mvc] = await pcr('2025-EMS-3-MVC_v351');
      // Aspirin (RxNorm 1191) carries PN 8801001 "Contraindication Noted": not given.
      expect(mvc?.medications).toEqual([
        { code: '7806', code_type: '9924003', prior_to_ems: '9923001', response: '9916001' },
        { code: '3628', code_type: '9924003', prior_to_ems: '9923001', response: '9916001' },
        { code: '71493000', code_type: '9924005', prior_to_ems: '9923001', response: '9916001' },
      ]);
      const [bike] = await pcr('2025-EMS-4-eBike_v351');
      // Fentanyl (RxNorm 4337) given for pain is not naloxone and not an overdose.
      expect(bike).toMatchObject({ naloxone_given: false, opioid_overdose: false, age_years: 12 });
      expect((bike?.medications as { code: string }[]).map((m) => m.code)).toEqual(['7806', '4337']);
    });

    it('flags opioid overdoses by each arm of the case definition, on reports derived from the overdose case', async () => {
      const impression = derive(OVERDOSE, 'od-impression.xml', [
        ['<eRecord.01>2025-EMS-1-Overdose_v351<', '<eRecord.01>DERIVED-IMPRESSION<'],
        ['<eSituation.11>F19</eSituation.11>', '<eSituation.11>T40.411A</eSituation.11>'],
      ]);
      const naloxoneGroup = (response: string) =>
        `<eMedications.MedicationGroup>
               <eMedications.01>2024-10-07T20:30:00-04:00</eMedications.01>
               <eMedications.02>9923003</eMedications.02>
               <eMedications.03 CodeType="9924003">7242</eMedications.03>
               <eMedications.04>9927041</eMedications.04>
               <eMedications.DosageGroup>
                  <eMedications.05>4</eMedications.05>
                  <eMedications.06>3706021</eMedications.06>
               </eMedications.DosageGroup>
               <eMedications.07>${response}</eMedications.07>
               <eMedications.08>3708031</eMedications.08>
               <eMedications.10>9925007</eMedications.10>
            </eMedications.MedicationGroup>`;
      const noMeds = /<eMedications\.MedicationGroup>[\s\S]*?<\/eMedications\.MedicationGroup>/;
      const improved = derive(OVERDOSE, 'od-naloxone-improved.xml', [
        ['<eRecord.01>2025-EMS-1-Overdose_v351<', '<eRecord.01>DERIVED-NALOXONE-IMPROVED<'],
        [noMeds, naloxoneGroup('9916001')],
      ]);
      const unchanged = derive(OVERDOSE, 'od-naloxone-unchanged.xml', [
        ['<eRecord.01>2025-EMS-1-Overdose_v351<', '<eRecord.01>DERIVED-NALOXONE-UNCHANGED<'],
        [noMeds, naloxoneGroup('9916003')],
      ]);
      const negative = derive(OVERDOSE, 'od-pertinent-negative.xml', [
        ['<eRecord.01>2025-EMS-1-Overdose_v351<', '<eRecord.01>DERIVED-PN<'],
        ['<eSituation.10>R46.2</eSituation.10>', '<eSituation.10 PN="8801031">F11.20</eSituation.10>'],
      ]);
      const cocaine = derive(OVERDOSE, 'od-cocaine.xml', [
        ['<eRecord.01>2025-EMS-1-Overdose_v351<', '<eRecord.01>DERIVED-COCAINE<'],
        ['<eSituation.12>F10.92</eSituation.12>', '<eSituation.12>T40.5X1A</eSituation.12>'],
      ]);
      for (const f of [impression, improved, unchanged, negative, cocaine]) {
        expect((await runIngest(duck, ops.db, emsNemsisXmlAdapter, f, INGEST)).rowsAccepted).toBe(1);
      }
      const got = await q<{ record_id: string; opioid_overdose: boolean; naloxone_given: boolean; naloxone_improved: boolean }>(
        `SELECT record_id, opioid_overdose, naloxone_given, naloxone_improved FROM ems_encounters
          WHERE record_id LIKE 'DERIVED-%' ORDER BY record_id`,
      );
      expect(got).toEqual([
        { record_id: 'DERIVED-COCAINE', opioid_overdose: false, naloxone_given: false, naloxone_improved: false }, // T40.5 is cocaine
        { record_id: 'DERIVED-IMPRESSION', opioid_overdose: true, naloxone_given: false, naloxone_improved: false },
        { record_id: 'DERIVED-NALOXONE-IMPROVED', opioid_overdose: true, naloxone_given: true, naloxone_improved: true },
        { record_id: 'DERIVED-NALOXONE-UNCHANGED', opioid_overdose: false, naloxone_given: true, naloxone_improved: false },
        { record_id: 'DERIVED-PN', opioid_overdose: false, naloxone_given: false, naloxone_improved: false }, // symptom not present
      ]);
      const [pn] = await pcr('DERIVED-PN');
      expect(pn?.other_symptoms).toEqual(['R41.0', 'R47.81']);
      const events = await q<{ indicator: string; n: number }>(
        `SELECT indicator, count(*)::INTEGER AS n FROM indicator_events WHERE jurisdiction_id = 'nyc' AND indicator LIKE 'ems.%' GROUP BY ALL ORDER BY 1`,
      );
      expect(events).toEqual([
        { indicator: 'ems.naloxone_given', n: 2 },
        { indicator: 'ems.opioid_overdose', n: 2 },
      ]);
    });

    it('refuses the file built to fail XSD validation, naming eSituation.20 and its minOccurs', async () => {
      const before = await q<{ n: number }>('SELECT count(*)::INTEGER AS n FROM ems_encounters');
      const err = await refusal(emsNemsisXmlAdapter, sample('fail/2025-EMS-FailXsd_v351.xml'));
      expect(err.message).toMatch(/2025-EMS-FailXsd_v351\.xml: 1 of 1 rows rejected .*refused/);
      expect(err.report?.sampleRejects).toEqual([
        {
          line: 20, // <PatientCareReport UUID=…>
          field: 'eSituation.20',
          reason: 'xsd_missing_element',
          value: 'line 139: eSituation ends without mandatory eSituation.20 (eSituation_v3.xsd: eSituation.20 minOccurs 1)',
        },
      ]);
      expect(await q('SELECT count(*)::INTEGER AS n FROM ems_encounters')).toEqual(before);
      const [run] = await recentRuns(ops.db, 1);
      expect(run?.status).toBe('refused');
    });

    it('refuses the file built to fail Schematron, naming eSituation.10 and rule nemSch_e005', async () => {
      const err = await refusal(emsNemsisXmlAdapter, sample('fail/2025-EMS-FailSchematron_v351.xml'));
      expect(err.report?.sampleRejects).toEqual([
        {
          line: 21,
          field: 'eSituation.10',
          reason: 'nemSch_e005',
          value:
            'line 135: When Other Associated Symptoms has a Pertinent Negative, it should have a value and it should not have a Not Value (Not Applicable, Not Recorded, or Not Reporting).',
        },
      ]);
      const rejects = await q<{ field: string; reason: string }>(
        `SELECT field, reason FROM ingest_rejects WHERE file_name = '2025-EMS-FailSchematron_v351.xml'`,
      );
      expect(rejects).toEqual([{ field: 'eSituation.10', reason: 'nemSch_e005' }]);
    });

    it('refuses a DEMDataSet, a foreign root, truncated XML and a DOCTYPE with entities, saying why', async () => {
      const dem = await refusal(emsNemsisXmlAdapter, sample('2025-DEM-1_v351.full.xml'));
      expect(dem.message).toMatch(/line 10: this is a NEMSIS DEMDataSet \(agency demographic data\), not an EMSDataSet/);
      const foreign = join(dir, 'foreign.xml');
      writeFileSync(foreign, '<?xml version="1.0"?>\n<Invoice xmlns="urn:x"><Total>3</Total></Invoice>\n');
      expect((await refusal(emsNemsisXmlAdapter, foreign)).message).toMatch(/line 2: root element <Invoice> is not a NEMSIS EMSDataSet/);
      const wrongNs = join(dir, 'wrong-ns.xml');
      writeFileSync(wrongNs, '<EMSDataSet xmlns="http://example.org"><Header/></EMSDataSet>');
      expect((await refusal(emsNemsisXmlAdapter, wrongNs)).message).toMatch(/not the NEMSIS namespace/);
      const text = readFileSync(OVERDOSE, 'utf8');
      const truncated = join(dir, 'truncated.xml');
      writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
      expect((await refusal(emsNemsisXmlAdapter, truncated)).message).toMatch(/truncated\.xml: line \d+: not well-formed XML: .*refused/);
      const bomb = join(dir, 'bomb.xml');
      writeFileSync(
        bomb,
        '<?xml version="1.0"?>\n<!DOCTYPE EMSDataSet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<EMSDataSet xmlns="http://www.nemsis.org">&b;</EMSDataSet>\n',
      );
      expect((await refusal(emsNemsisXmlAdapter, bomb)).message).toMatch(/line 2: DOCTYPE with entity declarations refused/);
      const empty = join(dir, 'empty-dataset.xml');
      writeFileSync(empty, text.replace(/<PatientCareReport[\s\S]*<\/PatientCareReport>/, ''));
      expect((await refusal(emsNemsisXmlAdapter, empty)).message).toMatch(/Header ends without mandatory PatientCareReport \(EMSDataSet_v3\.xsd/);
    });

    it('rejects reports with a bad date, an element out of order or an invalid enumeration, by line', async () => {
      const start = readFileSync(OVERDOSE, 'utf8');
      // One EMSDataSet with 520 reports (past one appender batch): copies of the overdose case,
      // some broken on purpose.
      const open = start.indexOf('      <PatientCareReport ');
      const close = start.indexOf('</PatientCareReport>') + '</PatientCareReport>'.length;
      const head = start.slice(0, open);
      const body = start.slice(open, close);
      const tail = start.slice(close);
      const broken: Record<number, [string | RegExp, string, string, string]> = {
        5: ['<eTimes.03>2024-10-07T20:22:01-04:00<', '<eTimes.03>2024-13-07T20:22:01-04:00<', 'eTimes.03', 'invalid_datetime'],
        150: ['<eTimes.03>2024-10-07T20:22:01-04:00<', '<eTimes.03>10/07/2024 20:22<', 'eTimes.03', 'invalid_datetime'],
        // .12 before .11: at .12 the mandatory .11 is missing (as an XSD validator says it).
        333: [/(<eSituation\.11>F19<\/eSituation\.11>)(\s*)(<eSituation\.12>F10\.92<\/eSituation\.12>)/, '$3$2$1', 'eSituation.11', 'xsd_missing_element'],
        // Two optional elements swapped: .22 after .24 is out of order.
        334: [/(<ePatient\.22>2522001<\/ePatient\.22>)(\s*)(<ePatient\.24>eng<\/ePatient\.24>)/, '$3$2$1', 'ePatient.22', 'xsd_element_order'],
        501: ['<ePatient.16>2516009<', '<ePatient.16>years<', 'ePatient.16', 'invalid_code'],
        502: ['<eSituation.11>F19<', '<eSituation.11>F19.<', 'eSituation.11', 'invalid_icd10'],
        510: ['<eMedications.07 xsi:nil="true" NV="7701003"/>', '<eMedications.07 xsi:nil="true"/>', 'eMedications.07', 'nemSch_e001'],
        519: ['<eScene.11>41.396,-73.453<', '<eScene.11>141.396,-73.453<', 'eScene.11', 'invalid_gps'],
      };
      const parts: string[] = [head];
      const expected: { line: number; field: string; reason: string }[] = [];
      let line = head.split('\n').length;
      for (let i = 0; i < 520; i++) {
        let pcrText = body
          .replace('<eRecord.01>2025-EMS-1-Overdose_v351<', `<eRecord.01>BULK-${String(i).padStart(4, '0')}<`)
          .replace(/UUID="[^"]+"/, `UUID="a1500a8d-f414-4ca3-84bc-${String(i).padStart(12, '0')}"`);
        const b = broken[i];
        if (b) {
          const next = pcrText.replace(b[0], b[1]);
          expect(next).not.toBe(pcrText);
          pcrText = next;
          expected.push({ line, field: b[2], reason: b[3] });
        }
        parts.push(pcrText, '\n');
        line += pcrText.split('\n').length;
      }
      parts.push(tail);
      const f = join(dir, 'bulk.xml');
      writeFileSync(f, parts.join(''));
      const report = await runIngest(duck, ops.db, emsNemsisXmlAdapter, f, { ...INGEST, maxRejectShare: 0.05 });
      expect(report.rowsIn).toBe(520);
      expect(report.rowsRejected).toBe(expected.length);
      expect(report.sampleRejects.map(({ line: l, field, reason }) => ({ line: l, field, reason }))).toEqual(expected);
      const order = report.sampleRejects.find((s) => s.reason === 'xsd_element_order');
      expect(order?.value).toMatch(/ePatient\.22 is out of order in ePatient \(ePatient_v3\.xsd\): the sequence puts it before ePatient\.24/);
      const missing = report.sampleRejects.find((s) => s.reason === 'xsd_missing_element');
      expect(missing?.value).toMatch(/eSituation\.12 found in eSituation \(eSituation_v3\.xsd\) where mandatory eSituation\.11 is expected/);
      const [n] = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ems_encounters WHERE record_id LIKE 'BULK-%'`);
      expect(n?.n).toBe(520 - expected.length);
    });
  });

  describe('flat CSV extracts of NEMSIS elements', () => {
    // Seeded encounters, written with exactly EMS_CSV_COLUMNS, read back field by field.
    const rnd = randomLcg(TEST_SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const ICD = ['R40.20', 'R06.81', 'F11.20', 'T40.1X1A', 'T40.411A', 'T40.5X1A', 'F19.10', 'R55', 'T40.601A', 'T40.7X1A', 'F11.920', 'R41.82'];
    const MEDS = ['7242', '203192', '197117', '4337', '7806', '317361'];
    const RESP = ['9916001', '9916003', '9916005', ''];
    // Points on land in four boroughs, and one in Danbury, CT (outside the city).
    const PLACES: [number, number, boolean][] = [
      [-73.9857, 40.7484, true],
      [-73.9442, 40.7957, true],
      [-73.9496, 40.6501, true],
      [-73.8303, 40.7128, true],
      [-73.453, 41.396, false],
    ];
    const NAL = new Set(['7242', '203192', '197117']);
    const isOpioid = (c: string) => /^(F11|T40[0-46])/.test(c.replace('.', ''));

    interface Enc {
      id: string;
      notified: string;
      lat: number;
      lon: number;
      inCity: boolean;
      last: string;
      first: string;
      dob: string;
      age: number;
      sex: string;
      symptom: string;
      other: string[];
      impression: string;
      secondary: string[];
      meds: { code: string; response: string }[];
      disposition: [string, string, string];
    }
    const encounters: Enc[] = Array.from({ length: 400 }, (_, i) => {
      const [lon, lat, inCity] = pick(PLACES);
      const day = 1 + Math.floor(rnd() * 28);
      const month = 1 + Math.floor(rnd() * 12);
      const hour = Math.floor(rnd() * 24);
      const meds = Array.from({ length: Math.floor(rnd() * 3) }, () => ({ code: pick(MEDS), response: pick(RESP) }));
      return {
        id: `NYC-EMS-${String(i).padStart(5, '0')}`,
        notified: `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:15:00-05:00`,
        lat: Math.round((lat + (rnd() - 0.5) * 0.004) * 1e5) / 1e5,
        lon: Math.round((lon + (rnd() - 0.5) * 0.004) * 1e5) / 1e5,
        inCity,
        last: pick(['Rivera', 'Nguyen', "O'Brien", 'Kowalski', 'Smith']),
        first: pick(['Ana', 'Luis', 'Mei', 'John', 'Fatima']),
        dob: `19${50 + Math.floor(rnd() * 50)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
        age: 15 + Math.floor(rnd() * 70),
        sex: pick(['9919001', '9919003', '9919005']),
        symptom: pick(ICD),
        other: Array.from({ length: Math.floor(rnd() * 3) }, () => pick(ICD)),
        impression: pick(ICD),
        secondary: Array.from({ length: Math.floor(rnd() * 2) }, () => pick(ICD)),
        meds,
        disposition: pick([
          ['4227001', '4228001', '4230001'],
          ['4227001', '4228003', '4230009'],
          ['4227001', '4228001', '4230013'],
        ] as [string, string, string][]),
      };
    });
    const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const toRow = (e: Enc): Record<EmsCsvColumn, string> => ({
      'eRecord.01': e.id,
      'eTimes.03': e.notified,
      'eScene.11': `${e.lat},${e.lon}`,
      'ePatient.02': e.last,
      'ePatient.03': e.first,
      'ePatient.17': e.dob,
      'ePatient.15': String(e.age),
      'ePatient.16': '2516009',
      'ePatient.25': e.sex,
      'eSituation.09': e.symptom,
      'eSituation.10': e.other.join(';'),
      'eSituation.11': e.impression,
      'eSituation.12': e.secondary.join(';'),
      'eMedications.03': e.meds.map((m) => m.code).join(';'),
      'eMedications.07': e.meds.length && e.meds.some((m) => m.response) ? e.meds.map((m) => m.response).join(';') : '',
      'eDisposition.27': e.disposition[0],
      'eDisposition.28': e.disposition[1],
      'eDisposition.30': e.disposition[2],
    });
    const csv = (rs: Record<EmsCsvColumn, string>[], extra: string[] = []) =>
      [EMS_CSV_COLUMNS.join(','), ...rs.map((r) => EMS_CSV_COLUMNS.map((c) => cell(r[c])).join(',')), ...extra].join('\n') + '\n';

    it('round-trips every field of a seeded extract, with planted rejects at their lines', async () => {
      const good = encounters.map(toRow);
      const bad: { row: Record<EmsCsvColumn, string>; field: string; reason: string }[] = [
        { row: { ...good[0]!, 'eRecord.01': 'BAD-1', 'eTimes.03': '2024-13-45T10:00:00-05:00' }, field: 'eTimes.03', reason: 'invalid_datetime' },
        { row: { ...good[1]!, 'eRecord.01': '' }, field: 'eRecord.01', reason: 'missing_pcr_number' },
        { row: { ...good[2]! }, field: 'eRecord.01', reason: 'duplicate_pcr_number' },
        { row: { ...good[3]!, 'eRecord.01': 'BAD-4', 'eSituation.11': 'overdose' }, field: 'eSituation.11', reason: 'invalid_icd10' },
        { row: { ...good[4]!, 'eRecord.01': 'BAD-5', 'eMedications.03': '7242;4337', 'eMedications.07': '9916001' }, field: 'eMedications.07', reason: 'invalid_list' },
        { row: { ...good[5]!, 'eRecord.01': 'BAD-6', 'eScene.11': '95.1,-73.9' }, field: 'eScene.11', reason: 'invalid_gps' },
        { row: { ...good[6]!, 'eRecord.01': 'BAD-7', 'ePatient.17': '1980-02-30' }, field: 'ePatient.17', reason: 'invalid_date' },
      ];
      const f = join(dir, 'ems-extract.csv');
      writeFileSync(f, csv([...good, ...bad.map((b) => b.row)], ['BAD-8,2024-01-01T00:00:00-05:00,only three']));
      const report = await runIngest(duck, ops.db, emsCsvAdapter, f, INGEST);
      expect(report.status).toBe('succeeded');
      expect(report.rowsIn).toBe(good.length + bad.length + 1);
      const rejects = await q<{ line: number; field: string; reason: string; value: string | null }>(
        `SELECT line::INTEGER AS line, field, reason, value FROM ingest_rejects WHERE file_name = 'ems-extract.csv' ORDER BY line`,
      );
      expect(rejects.map(({ line, field, reason }) => ({ line, field, reason }))).toEqual([
        ...bad.map((b, i) => ({ line: good.length + 2 + i, field: b.field, reason: b.reason })),
        { line: good.length + bad.length + 2, field: 'row', reason: 'malformed_row' },
      ]);
      // A bad date of birth is rejected without copying the date of birth anywhere.
      expect(rejects.find((r) => r.field === 'ePatient.17')?.value).toBeNull();

      const got = await q<{
        record_id: string; unit_notified_date: string; unit_notified_at: string; scene_lat: number; scene_lon: number;
        scene_area: string | null; age_years: number; sex: string | null; primary_symptom: string; other_symptoms: string[];
        primary_impression: string; secondary_impressions: string[]; medications: { code: string; response: string | null }[];
        naloxone_given: boolean; naloxone_improved: boolean; opioid_overdose: boolean; disposition: string; person_key: string;
        source_format: string;
      }>(`SELECT * FROM ems_encounters WHERE record_id LIKE 'NYC-EMS-%' ORDER BY record_id`);
      expect(got).toHaveLength(encounters.length);
      const key = 'odstat-test-linkage-key-32-bytes';
      const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
      got.forEach((g, i) => {
        const e = encounters[i]!;
        const codes = [e.symptom, ...e.other, e.impression, ...e.secondary];
        const improved = e.meds.some((m) => NAL.has(m.code) && m.response === '9916001');
        expect(g).toMatchObject({
          record_id: e.id,
          source_format: 'nemsis-csv',
          unit_notified_date: e.notified.slice(0, 10),
          age_years: e.age,
          sex: e.sex === '9919001' ? 'F' : e.sex === '9919003' ? 'M' : null,
          primary_symptom: e.symptom,
          other_symptoms: e.other,
          primary_impression: e.impression,
          secondary_impressions: e.secondary,
          naloxone_given: e.meds.some((m) => NAL.has(m.code)),
          naloxone_improved: improved,
          opioid_overdose: codes.some(isOpioid) || improved,
          person_key: createHmac('sha256', key).update(`${norm(e.last)}|${norm(e.first)}|${e.dob}`).digest('hex'),
        });
        expect(instant(g.unit_notified_at)).toBe(Date.parse(e.notified));
        expect(g.scene_area === null).toBe(!e.inCity);
        // Rounded to 3 decimals at most.
        expect(Math.abs(g.scene_lat - e.lat)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(g.scene_lon - e.lon)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.round(g.scene_lat * 1000) / 1000).toBe(g.scene_lat);
        expect(Math.round(g.scene_lon * 1000) / 1000).toBe(g.scene_lon);
        expect(g.medications.map((m) => [m.code, m.response ?? ''])).toEqual(
          e.meds.map((m) => [m.code, e.meds.some((x) => x.response) ? m.response : '']),
        );
      });
      const flagged = got.filter((g) => g.opioid_overdose).length;
      expect(flagged).toBeGreaterThan(50);
      expect(flagged).toBeLessThan(encounters.length);
      expect(report.rowsUnassigned).toBe(encounters.filter((e) => !e.inCity).length);
    });

    it('never stores a name or a date of birth, and leaves no stage table behind', async () => {
      const cols = await q<{ column_name: string }>(`SELECT DISTINCT column_name FROM information_schema.columns WHERE table_name = 'ems_encounters'`);
      for (const pii of ['last_name', 'first_name', 'dob', 'date_of_birth', 'name']) expect(cols.map((c) => c.column_name)).not.toContain(pii);
      const pii = new Set([...encounters.flatMap((e) => [e.last, e.first, e.dob]), 'Howell', 'Maria', '1979-04-08', '285 Main Street']);
      const dump = await q<{ v: string }>(
        `SELECT DISTINCT v FROM (
           SELECT unnest([record_id, source_format, scene_area, sex, primary_symptom, primary_impression, disposition, person_key]) AS v FROM ems_encounters
           UNION ALL SELECT unnest(other_symptoms) FROM ems_encounters
           UNION ALL SELECT value FROM ingest_rejects UNION ALL SELECT field FROM ingest_rejects) WHERE v IS NOT NULL`,
      );
      expect(dump.map((d) => d.v).filter((v) => pii.has(v) || [...pii].some((p) => p.length > 4 && v.includes(p)))).toEqual([]);
      // Stage directly on one connection: afterwards only stage_checked remains, without identities.
      const c = await duck.connect();
      try {
        await emsCsvAdapter.stage(c, join(dir, 'ems-extract.csv'), { jurisdiction: 'nyc', linkage: INGEST.linkage, log: () => {} });
        await emsNemsisXmlAdapter.stage(c, OVERDOSE, { jurisdiction: 'nyc', linkage: INGEST.linkage, log: () => {} });
        const temp = await rows<{ table_name: string }>(c, `SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1`);
        expect(temp.map((t) => t.table_name)).toEqual(['stage_checked']);
        const stageCols = await rows<{ column_name: string }>(c, `SELECT column_name FROM (DESCRIBE stage_checked)`);
        expect(stageCols.map((s) => s.column_name).filter((n) => /name|dob|birth/.test(n))).toEqual([]);
      } finally {
        c.closeSync();
      }
    });

    it('replaces encounters seen again in an overlapping extract, and changes nothing on a reload', async () => {
      const again = await runIngest(duck, ops.db, emsCsvAdapter, join(dir, 'ems-extract.csv'), INGEST);
      expect(again.status).toBe('unchanged');
      const before = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ems_encounters`);
      const tail = encounters.slice(-50).map(toRow);
      tail[0] = { ...tail[0]!, 'eSituation.11': 'T40.1X1A', 'ePatient.15': '99' };
      const f = join(dir, 'ems-extract-2.csv');
      writeFileSync(f, csv(tail));
      const report = await runIngest(duck, ops.db, emsCsvAdapter, f, INGEST);
      expect(report.rowsAccepted).toBe(50);
      const after = await q<{ n: number; d: number }>(`SELECT count(*)::INTEGER AS n, count(DISTINCT (record_system, record_id))::INTEGER AS d FROM ems_encounters`);
      expect(after[0]?.n).toBe(before[0]?.n);
      expect(after[0]?.d).toBe(after[0]?.n);
      const [fixed] = await pcr(tail[0]!['eRecord.01']);
      expect(fixed).toMatchObject({ age_years: 99, primary_impression: 'T40.1X1A', opioid_overdose: true });
    });

    it('rejects an age beyond any integer column as invalid_age, not failing the load (found by the bad-input suite)', async () => {
      const rs = encounters.slice(0, 60).map(toRow);
      rs[3] = { ...rs[3]!, 'ePatient.15': '-245085815' };
      rs[7] = { ...rs[7]!, 'ePatient.15': '40000' };
      const f = join(dir, 'ems-huge-age.csv');
      writeFileSync(f, csv(rs));
      const report = await runIngest(duck, ops.db, emsCsvAdapter, f, INGEST);
      expect(report).toMatchObject({ status: 'succeeded', rowsIn: 60, rowsAccepted: 58, rowsRejected: 2, rejectsByReason: { invalid_age: 2 } });
      expect(report.sampleRejects.map((r) => [r.line, r.field, r.value])).toEqual([
        [5, 'ePatient.15', '-245085815'],
        [9, 'ePatient.15', '40000'],
      ]);
    });

    it('names missing columns of a file in the wrong shape', async () => {
      const f = join(dir, 'short-header.csv');
      writeFileSync(f, 'eRecord.01,eTimes.03\nA-1,2024-01-01T00:00:00-05:00\n');
      await expect(runIngest(duck, ops.db, emsCsvAdapter, f, INGEST)).rejects.toThrow(/line 1: missing column\(s\) eScene\.11, ePatient\.15/);
    });
  });

  describe('City of Tempe opioid EMS calls (real file, unedited)', () => {
    const raw = readFileSync(TEMPE_CSV, 'utf8');
    const lines = raw.replace(/^\uFEFF/, '').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const col = (name: string) => header.indexOf(name);
    const records = lines.slice(1).map((l) => l.split(','));

    it('is the unedited file: BOM, no quoting, 2,743 rows', () => {
      expect(raw.charCodeAt(0)).toBe(0xfeff);
      expect(raw.includes('"')).toBe(false); // so splitting on commas is an exact parse
      expect(records).toHaveLength(2743);
      expect(records.every((r) => r.length === header.length)).toBe(true);
    });

    it('loads every row, and each year’s naloxone-given and opioid-use counts equal a direct count of the raw file', async () => {
      const opts = { ...INGEST, jurisdiction: 'tempe' };
      expect((await (async () => {
        const c = await duck.connect();
        try {
          return (await chooseAdapter(c, 'ems', TEMPE_CSV)).format;
        } finally {
          c.closeSync();
        }
      })())).toBe('tempe-opioid-ems-csv');
      const report = await ingestFeedFile(duck, ops.db, 'ems', TEMPE_CSV, opts);
      // No exclusions: every row is accepted. 'NULL' / empty Narcan_Given is "not recorded".
      expect(report).toMatchObject({ status: 'succeeded', rowsIn: 2743, rowsAccepted: 2743, rowsRejected: 0 });
      expect(report.definitionVersions).toEqual({ ems: 'tempe-opioid-use-field-v1' });

      // Direct count: by the year of Incident_Date's date part (the file's own Year column
      // disagrees on a few New Year's rows and is not used).
      const direct = new Map<string, { naloxone: number; opioid: number; total: number }>();
      for (const r of records) {
        const y = r[col('Incident_Date')]!.slice(0, 4);
        const e = direct.get(y) ?? { naloxone: 0, opioid: 0, total: 0 };
        e.total++;
        if (r[col('Narcan_Given')] === 'Yes') e.naloxone++;
        if (r[col('Opioid_Use')] === 'Yes') e.opioid++;
        direct.set(y, e);
      }
      const got = await q<{ y: string; naloxone: number; opioid: number; total: number }>(
        `SELECT year(unit_notified_date)::VARCHAR AS y,
                count(*) FILTER (WHERE naloxone_given)::INTEGER AS naloxone,
                count(*) FILTER (WHERE opioid_overdose)::INTEGER AS opioid,
                count(*)::INTEGER AS total
           FROM ems_encounters WHERE jurisdiction_id = 'tempe' GROUP BY ALL ORDER BY y`,
      );
      expect(got).toEqual([...direct.entries()].sort().map(([y, e]) => ({ y, ...e })));
      expect(got.find((g) => g.y === '2021')).toEqual({ y: '2021', naloxone: 418, opioid: 635, total: 690 });
      const yearColumnDisagrees = records.filter((r) => r[col('Year')] !== r[col('Incident_Date')]!.slice(0, 4)).length;
      expect(yearColumnDisagrees).toBe(6);

      // The same through the indicator view the dashboard counts from.
      const events = await q<{ indicator: string; n: number }>(
        `SELECT indicator, count(*)::INTEGER AS n FROM indicator_events WHERE jurisdiction_id = 'tempe' GROUP BY ALL ORDER BY 1`,
      );
      expect(events).toEqual([
        { indicator: 'ems.naloxone_given', n: records.filter((r) => r[col('Narcan_Given')] === 'Yes').length },
        { indicator: 'ems.opioid_overdose', n: records.filter((r) => r[col('Opioid_Use')] === 'Yes').length },
      ]);
      const unknownNaloxone = await q<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ems_encounters WHERE jurisdiction_id = 'tempe' AND naloxone_given IS NULL`);
      expect(unknownNaloxone[0]?.n).toBe(records.filter((r) => ['NULL', ''].includes(r[col('Narcan_Given')]!)).length);

      // Without an area: no coordinates, or coordinates the city placed at its centre.
      const noPlace = records.filter(
        (r) => r[col('Latitude_Random')] === '' || r[col('Notes')] === 'Coordinates Placed At Center of City',
      ).length;
      expect(noPlace).toBe(12);
      expect(report.rowsUnassigned).toBe(noPlace);
    });

    it('maps age bands, sex and coordinates, and changes nothing when loaded again', async () => {
      const [r] = await q<Record<string, unknown>>(`SELECT * FROM ems_encounters WHERE jurisdiction_id = 'tempe' AND record_id = '3'`);
      // OBJECTID 3: 2017/01/09, Opioid_Use Yes, Narcan_Given NULL, 20 to 24, Male, 33.3971,-111.9249.
      expect(r).toMatchObject({
        record_system: 'tempe-objectid',
        unit_notified_date: '2017-01-09',
        unit_notified_at: null,
        age_years: null,
        age_low: 20,
        age_high: 24,
        sex: 'M',
        naloxone_given: null,
        opioid_overdose: true,
        scene_lat: 33.397,
        scene_lon: -111.925,
        definition_version: 'tempe-opioid-use-field-v1',
      });
      expect(r?.scene_area).toMatch(/^R\d{2}C\d{2}$/);
      const before = await q(`SELECT count(*)::INTEGER AS n, sum(hash(record_id, scene_area))::VARCHAR AS h FROM ems_encounters WHERE jurisdiction_id = 'tempe'`);
      const again = await runIngest(duck, ops.db, emsTempeAdapter, TEMPE_CSV, { ...INGEST, jurisdiction: 'tempe' });
      expect(again.status).toBe('unchanged');
      // The same rows in a file with other bytes (no final newline) replace, never duplicate.
      const copy = join(dir, 'tempe-copy.csv');
      writeFileSync(copy, raw.trimEnd());
      expect((await runIngest(duck, ops.db, emsTempeAdapter, copy, { ...INGEST, jurisdiction: 'tempe' })).rowsAccepted).toBe(2743);
      expect(await q(`SELECT count(*)::INTEGER AS n, sum(hash(record_id, scene_area))::VARCHAR AS h FROM ems_encounters WHERE jurisdiction_id = 'tempe'`)).toEqual(before);
    });
  });

  it('picks the adapter of each EMS format from the file itself', async () => {
    const c = await duck.connect();
    try {
      const formats = [];
      for (const f of [OVERDOSE, sample('2025-DEM-1_v351.full.xml'), join(dir, 'ems-extract.csv'), TEMPE_CSV]) {
        formats.push((await chooseAdapter(c, 'ems', f)).format);
      }
      expect(formats).toEqual(['nemsis-3.5-xml', 'nemsis-3.5-xml', 'nemsis-csv', 'tempe-opioid-ems-csv']);
    } finally {
      c.closeSync();
    }
  });

  it('has the XSD content model it validates against, and catalogs both EMS indicators', () => {
    const sit = NEMSIS_SEQUENCES.eSituation!;
    expect(sit.xsd).toBe('eSituation_v3.xsd');
    expect(sit.children.map((c) => c.name).slice(-3)).toEqual(['eSituation.18', 'eSituation.19', 'eSituation.20']);
    expect(sit.children.find((c) => c.name === 'eSituation.20')).toMatchObject({ min: 1, max: 1, nillable: true });
    expect(sit.children.find((c) => c.name === 'eSituation.10')?.pn).toEqual(['8801031']);
    expect(INDICATORS.filter((i) => i.feed === 'ems').map((i) => i.id)).toEqual(['ems.opioid_overdose', 'ems.naloxone_given']);
  });
});
