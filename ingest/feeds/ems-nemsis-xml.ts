// EMS feed, NEMSIS v3.5 XML (`EMSDataSet`): one PatientCareReport → one encounter. The file is
// streamed through saxes in chunks (never read whole) and each report's values go to temp table
// `ems_stage` through DuckDB's appender, in batches; the values are then judged in SQL
// (ems-common.ts), like every other feed.
//
// What is validated, and what is not (this is NOT full XSD or Schematron validation):
//   * Well-formed XML (saxes), UTF-8, root element EMSDataSet in the NEMSIS namespace. A DEMDataSet
//     or StateDataSet is refused by name. Any DOCTYPE is refused: NEMSIS documents have none, and
//     refusing it closes the door on entity-expansion ("billion laughs") and external-entity
//     attacks (saxes never fetches external entities; a DTD is refused before it could matter).
//     Nesting is capped at MAX_DEPTH and each value read at MAX_TEXT characters.
//   * NEMSIS v3.5.1 XSD content models (order, minOccurs, maxOccurs, nillable, the NV/PN codes
//     each element allows, declared attributes) of EMSDataSet, Header, DemographicGroup and
//     PatientCareReport (order of its 25 sections), and in full for the sections read: eRecord,
//     eTimes, ePatient, eScene, eSituation, eMedications, eDisposition and the groups inside them
//     (ingest/feeds/nemsis-xsd-model.ts, generated from the XSDs). The content of the other
//     sections (eVitals, eHistory, eProcedures …) is not checked.
//   * XSD simple types (patterns, enumerations, lengths, ranges) of the elements read: eRecord.01,
//     eTimes.03, ePatient.13/.15/.16/.17/.25, eScene.11, eSituation.09–.12, eMedications.02/.03
//     (with CodeType)/.07, eDisposition.27/.28/.30 — in SQL, sql/duckdb/definitions/ems_nemsis_types.sql.
//   * NEMSIS v3.5.1 national EMSDataSet Schematron, on the leaves of the sections above: pattern
//     nemSch_eNilNvPn — e001
//     (empty without NV or PN), e002 (NV but not empty), e003/e004 (date/times with PN "Unable to
//     Complete" must be empty, with PN "Approximate" must have a value: eSituation.01, and
//     eSituation.18, which the passing v3.5.1 test cases record as PN "Approximate" with a value), e005
//     (eSituation.10 with PN must have a value, no NV), e006 (eMedications.03 likewise), e008
//     (any other element with PN must be empty, no NV) — and e143 (eMedications.03 RxNorm code of
//     2–7 digits, in SQL). The compliance pre-testing rule "Informing doctor" for Mobile Integrated
//     Health encounters is not a national rule and is not enforced.
// A structural or Schematron problem rejects its report (line = the PatientCareReport start tag;
// field = the element; reason = the XSD rule or Schematron assert id; value = what was wrong,
// naming elements, attributes and codes only — never an element's text, so never a name or a
// date of birth). A problem outside any report refuses the whole file.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LIST, STRUCT, VARCHAR, structValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { rows } from '../../sql/duckdb.ts';
import { IngestError, type Adapter } from '../run.ts';
import { EMS_STAGE_DDL, EMS_STAGE_SOURCE, checkNemsis, commitEms, unassignedEms } from './ems-common.ts';
import { NEMSIS_SEQUENCES, type NemsisChild } from './nemsis-xsd-model.ts';

export const NEMSIS_NS = 'http://www.nemsis.org';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Reports appended per batch before the appender is flushed. */
const BATCH = 500;
/** Deeper nesting than any NEMSIS document has (about 8) is refused. */
const MAX_DEPTH = 40;
/** Text kept per element read; longer values fail their XSD length or pattern anyway. */
const MAX_TEXT = 4096;

const NON_SPACE = /\S/;
const UUID_PATTERN = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[1-5][a-fA-F0-9]{3}-[89abAB][a-fA-F0-9]{3}-[a-fA-F0-9]{12}$/;

// PN codes (commonTypes_v3.xsd).
const PN_UNABLE_TO_COMPLETE = '8801023';
const PN_APPROXIMATE = '8801029';

// National Schematron messages (pattern nemSch_eNilNvPn), with the element named.
const SCHEMATRON: Record<string, (el: string) => string> = {
  nemSch_e001: (el) => `When ${el} is empty, it should have a Not Value (Not Applicable, Not Recorded, or Not Reporting, if allowed for the element) or a Pertinent Negative (if allowed for the element), or it should be omitted (if the element is optional).`,
  nemSch_e002: (el) => `When ${el} has a Not Value (Not Applicable, Not Recorded, or Not Reporting), it should be empty.`,
  nemSch_e003: (el) => `When ${el} has a Pertinent Negative of "Unable to Complete", it should be empty and it should not have a Not Value (Not Applicable, Not Recorded, or Not Reporting).`,
  nemSch_e004: (el) => `When ${el} has a Pertinent Negative of "Approximate", it should have a value and it should not have a Not Value (Not Applicable, Not Recorded, or Not Reporting).`,
  nemSch_e005: (el) => `When ${el} has a Pertinent Negative, it should have a value and it should not have a Not Value (Not Applicable, Not Recorded, or Not Reporting).`,
  nemSch_e006: (el) => `When ${el} has a Pertinent Negative, it should have a value and it should not have a Not Value (Not Applicable, Not Recorded, or Not Reporting).`,
  nemSch_e008: (el) => `When ${el} has a Pertinent Negative, it should be empty and it should not have a Not Value (Not Applicable, Not Recorded, or Not Reporting).`,
};
/** Element names as the Schematron messages print them, for the elements whose rules are specific. */
const ELEMENT_TITLES: Record<string, string> = {
  'eSituation.01': 'Date/Time of Symptom Onset',
  'eSituation.10': 'Other Associated Symptoms',
  'eSituation.18': 'Date/Time Last Known Well',
  'eMedications.03': 'Medication Administered',
};

interface Problem {
  reason: string;
  field: string;
  value: string;
}

interface Med {
  code: string | null;
  codeType: string | null;
  prior: string | null;
  response: string | null;
  given: boolean;
}

interface Report {
  line: number;
  problem: Problem | null;
  single: Map<string, string | null>;
  other: string[];
  secondary: string[];
  meds: Med[];
  med: Med | null;
}

interface Frame {
  name: string;
  line: number;
  /** Content model when this element is a modelled parent. */
  model: { xsd: string; children: readonly NemsisChild[] } | null;
  /** Index in `model.children` of the last child matched (-1 before the first) and its count. */
  at: number;
  count: number;
  /** This element's rule in its (modelled) parent's content model. */
  rule: NemsisChild | null;
  nil: boolean;
  nv: string | null;
  pn: string | null;
  codeType: string | null;
  text: string | null;
}

/** The frame of every element inside a part of the document that is not checked (see opentag). */
const INERT: Frame = Object.freeze({
  name: '', line: 0, model: null, at: -1, count: 0, rule: null, nil: false, nv: null, pn: null, codeType: null, text: null,
});

/** Single-valued elements read from a report, by element name → ems_stage column. */
const SINGLE: Record<string, string> = {
  'eRecord.01': 'pcr',
  'eTimes.03': 'notified',
  'ePatient.02': 'last_name',
  'ePatient.03': 'first_name',
  'ePatient.13': 'gender',
  'ePatient.15': 'age',
  'ePatient.16': 'age_units',
  'ePatient.17': 'dob',
  'ePatient.25': 'sex',
  'eScene.11': 'gps',
  'eSituation.09': 'symptom',
  'eSituation.11': 'impression',
  'eDisposition.27': 'unit_disp',
  'eDisposition.28': 'care_disp',
  'eDisposition.30': 'transport_disp',
};

const MED_TYPE = LIST(STRUCT({ code: VARCHAR, code_type: VARCHAR, prior_to_ems: VARCHAR, response: VARCHAR }));
const TEXT_LIST = LIST(VARCHAR);

/**
 * saxes keeps each event handler in a property that `on()` adds, by a computed name, when the
 * event is first registered. Seven such additions push the parser object into V8's dictionary
 * (slow) property mode, and every character the parser reads then pays for it: the parse ran
 * about four times slower than a bare saxes parse of the same bytes. Declaring the handler
 * properties by name in the constructor keeps the object's properties fast. The names are saxes
 * internals; were they to change, nothing would break — the parse would only be slower again.
 */
class NemsisSaxesParser extends SaxesParser<{ xmlns: true; position: true }> {
  constructor() {
    super({ xmlns: true, position: true });
    const self = this as unknown as Record<string, undefined>;
    self.xmldeclHandler = undefined;
    self.textHandler = undefined;
    self.piHandler = undefined;
    self.doctypeHandler = undefined;
    self.commentHandler = undefined;
    self.openTagStartHandler = undefined;
    self.attributeHandler = undefined;
    self.openTagHandler = undefined;
    self.closeTagHandler = undefined;
    self.cdataHandler = undefined;
    self.errorHandler = undefined;
    self.endHandler = undefined;
    self.readyHandler = undefined;
  }
}

function refuse(file: string, line: number, what: string): never {
  throw new IngestError(`${basename(file)}: line ${line}: ${what}; the file was refused and nothing was loaded`);
}

/**
 * Streams `file` and appends one ems_stage row per PatientCareReport. Throws IngestError for
 * what makes the whole file unreadable as an EMSDataSet.
 */
export async function streamNemsisXml(
  conn: DuckDBConnection,
  file: string,
  opts: { progress?: (fraction: number) => void; totalBytes?: number } = {},
): Promise<number> {
  await conn.run(EMS_STAGE_DDL);
  const appender = await conn.createAppender('ems_stage');
  const parser = new NemsisSaxesParser();
  const stack: Frame[] = [];
  let report: Report | null = null;
  let reports = 0;
  let rootSeen = false;
  let tagLine = 1;
  const batch: Report[] = [];

  const problem = (p: Problem) => {
    if (report && !report.problem) report.problem = p;
  };
  /** A problem in a report rejects the report; outside one, it refuses the file. */
  const fault = (line: number, p: Problem) => {
    if (report) problem(p);
    else refuse(file, line, `${p.value.replace(/^line \d+: /, '')} (${p.reason})`);
  };

  const step = (parent: Frame, child: string, line: number): NemsisChild | null => {
    const m = parent.model!;
    const kids = m.children;
    const where = `${parent.name} (${m.xsd})`;
    if (parent.at >= 0 && kids[parent.at]!.name === child) {
      const r = kids[parent.at]!;
      if (r.max !== null && parent.count + 1 > r.max) {
        fault(line, { reason: 'xsd_max_occurs', field: child, value: `line ${line}: ${child} occurs more than ${r.max} time(s) in ${where}: maxOccurs ${r.max}` });
        return r;
      }
      parent.count++;
      return r;
    }
    const j = kids.findIndex((k, i) => i > parent.at && k.name === child);
    if (j >= 0) {
      const current = parent.at >= 0 ? kids[parent.at]! : null;
      if (current && parent.count < current.min) {
        fault(line, { reason: 'xsd_missing_element', field: current.name, value: `line ${line}: ${child} found in ${where} after ${parent.count} of at least ${current.min} ${current.name}: minOccurs ${current.min}` });
      }
      const skipped = kids.slice(parent.at + 1, j).find((k) => k.min > 0);
      if (skipped) {
        fault(line, { reason: 'xsd_missing_element', field: skipped.name, value: `line ${line}: ${child} found in ${where} where mandatory ${skipped.name} is expected: ${skipped.name} minOccurs ${skipped.min}, in sequence order` });
      }
      parent.at = j;
      parent.count = 1;
      return kids[j]!;
    }
    const earlier = kids.findIndex((k) => k.name === child);
    if (earlier >= 0) {
      fault(line, { reason: 'xsd_element_order', field: child, value: `line ${line}: ${child} is out of order in ${where}: the sequence puts it before ${kids[parent.at]!.name}` });
      return kids[earlier]!;
    }
    fault(line, { reason: 'xsd_unexpected_element', field: child, value: `line ${line}: ${child} is not an element of ${where}` });
    return null;
  };

  const finishSequence = (f: Frame, line: number) => {
    const m = f.model!;
    const current = f.at >= 0 ? m.children[f.at]! : null;
    if (current && f.count < current.min) {
      fault(line, { reason: 'xsd_missing_element', field: current.name, value: `line ${line}: ${f.name} ends after ${f.count} of at least ${current.min} ${current.name} (${m.xsd}: minOccurs ${current.min})` });
    }
    const missing = m.children.slice(f.at + 1).filter((k) => k.min > 0);
    if (missing.length > 0) {
      const first = missing[0]!;
      fault(line, {
        reason: 'xsd_missing_element',
        field: first.name,
        value: `line ${line}: ${f.name} ends without mandatory ${missing.map((k) => k.name).join(', ')} (${m.xsd}: ${first.name} minOccurs ${first.min})`,
      });
    }
  };

  const schematron = (id: string, name: string, line: number) =>
    fault(line, { reason: id, field: name, value: `line ${line}: ${SCHEMATRON[id]!(ELEMENT_TITLES[name] ?? name)}` });

  /** XSD attribute rules and national Schematron nil/NV/PN rules for one leaf that was read. */
  const checkLeaf = (f: Frame, line: number) => {
    const r = f.rule!;
    const hasValue = (f.text ?? '').trim() !== '';
    if (f.nil && !r.nillable) {
      return fault(line, { reason: 'xsd_nil', field: r.name, value: `line ${line}: ${r.name} is not nillable (xsi:nil is not allowed on it)` });
    }
    if (f.nil && hasValue) {
      return fault(line, { reason: 'xsd_nil', field: r.name, value: `line ${line}: ${r.name} has xsi:nil="true" and content` });
    }
    if (f.nv !== null && !r.nv.includes(f.nv)) {
      return fault(line, { reason: 'xsd_attribute', field: r.name, value: `line ${line}: ${r.name} NV="${f.nv.slice(0, 20)}" is not one of ${r.nv.join(', ') || '(no Not Value allowed)'}` });
    }
    if (f.pn !== null && !r.pn.includes(f.pn)) {
      return fault(line, { reason: 'xsd_attribute', field: r.name, value: `line ${line}: ${r.name} PN="${f.pn.slice(0, 20)}" is not one of ${r.pn.join(', ') || '(no Pertinent Negative allowed)'}` });
    }
    if (r.name === 'eMedications.03' && f.codeType !== null && !['9924003', '9924005'].includes(f.codeType)) {
      return fault(line, { reason: 'xsd_attribute', field: r.name, value: `line ${line}: eMedications.03 CodeType="${f.codeType.slice(0, 20)}" is not 9924003 (RxNorm) or 9924005 (SNOMED)` });
    }
    if (f.pn !== null) {
      if (r.pn.includes(PN_APPROXIMATE)) {
        if (f.pn === PN_UNABLE_TO_COMPLETE && (!f.nil || f.nv !== null)) return schematron('nemSch_e003', r.name, line);
        if (f.pn === PN_APPROXIMATE && (f.nil || f.nv !== null)) return schematron('nemSch_e004', r.name, line);
      } else if (r.name === 'eSituation.10') {
        if (f.nil || f.nv !== null) return schematron('nemSch_e005', r.name, line);
      } else if (r.name === 'eMedications.03') {
        if (f.nil || f.nv !== null) return schematron('nemSch_e006', r.name, line);
      } else if (!f.nil || f.nv !== null) {
        return schematron('nemSch_e008', r.name, line);
      }
    }
    if (f.nil && f.nv === null && f.pn === null) return schematron('nemSch_e001', r.name, line);
    if (f.nv !== null && !f.nil) return schematron('nemSch_e002', r.name, line);
  };

  const keep = (f: Frame) => {
    if (!report) return;
    const value = f.nil ? null : (f.text ?? '').trim() || null;
    const col = SINGLE[f.name];
    if (col) {
      report.single.set(col, value);
      return;
    }
    switch (f.name) {
      case 'eSituation.10':
        // A pertinent negative (PN 8801031 "Symptom Not Present") is a symptom the patient does
        // not have: it never counts (NEMSIS opioid case definition).
        if (value !== null && f.pn === null) report.other.push(value);
        break;
      case 'eSituation.12':
        if (value !== null) report.secondary.push(value);
        break;
      case 'eMedications.02':
        if (report.med) report.med.prior = value;
        break;
      case 'eMedications.03':
        // A pertinent negative (contraindicated, refused, denied by order …) means not given.
        if (report.med) Object.assign(report.med, { code: value, codeType: f.codeType, given: value !== null && f.pn === null });
        break;
      case 'eMedications.07':
        if (report.med) report.med.response = value;
        break;
    }
  };

  const flush = () => {
    for (const r of batch) appendReport(appender, r);
    batch.length = 0;
    appender.flushSync();
  };

  parser.on('xmldecl', (d) => {
    if (d.encoding && !/^utf-?8$/i.test(d.encoding)) refuse(file, parser.line, `encoding "${d.encoding}" is not supported: NEMSIS XML is UTF-8`);
  });
  parser.on('doctype', (d) => {
    const entities = /<!ENTITY/i.test(d);
    refuse(
      file,
      parser.line,
      entities
        ? 'DOCTYPE with entity declarations refused (NEMSIS documents have no DTD; entity expansion is an XML-bomb risk)'
        : 'DOCTYPE refused: NEMSIS documents have no DTD',
    );
  });
  parser.on('opentagstart', () => {
    tagLine = parser.line;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const line = tagLine;
    const local = tag.local;
    if (stack.length === 0) {
      if (rootSeen) refuse(file, line, 'a second root element');
      rootSeen = true;
      if (local === 'DEMDataSet') {
        refuse(file, line, 'this is a NEMSIS DEMDataSet (agency demographic data), not an EMSDataSet of patient care reports');
      }
      if (local === 'StateDataSet') refuse(file, line, 'this is a NEMSIS StateDataSet, not an EMSDataSet of patient care reports');
      if (local !== 'EMSDataSet') refuse(file, line, `root element <${tag.name}> is not a NEMSIS EMSDataSet`);
      if (tag.uri !== NEMSIS_NS) refuse(file, line, `EMSDataSet is in namespace "${tag.uri}", not the NEMSIS namespace ${NEMSIS_NS}`);
    }
    if (stack.length >= MAX_DEPTH) refuse(file, line, `elements nested deeper than ${MAX_DEPTH} levels`);
    const parent = stack[stack.length - 1];
    // Inside an element that has no content model and is not a value read — a section not read
    // (eVitals, eHistory …) — nothing is checked but well-formedness, which saxes does: one
    // shared frame stands for every such element, so the bulk of a report allocates nothing here.
    if (parent !== undefined && parent.model === null && parent.text === null && local !== 'eMedications.MedicationGroup') {
      stack.push(INERT);
      return;
    }
    let rule: NemsisChild | null = null;
    if (parent?.model) {
      if (tag.uri !== NEMSIS_NS) {
        fault(line, { reason: 'xsd_unexpected_element', field: tag.name, value: `line ${line}: ${tag.name} (namespace "${tag.uri}") is not an element of ${parent.name}` });
      } else {
        rule = step(parent, local, line);
      }
    }
    // One pass over the attributes (this handler runs for every element of the file).
    let nilRaw: string | null = null;
    let nv: string | null = null;
    let pn: string | null = null;
    let codeType: string | null = null;
    let uuid: string | null = null;
    let undeclared: string | null = null;
    for (const key in tag.attributes) {
      const a = tag.attributes[key] as SaxesAttributeNS;
      if (a.uri === '') {
        if (a.local === 'NV') nv = a.value;
        else if (a.local === 'PN') pn = a.value;
        else if (a.local === 'CodeType') codeType = a.value;
        else if (a.local === 'UUID') uuid = a.value;
        if (rule && undeclared === null && !rule.attrs.includes(a.local)) undeclared = a.name;
      } else if (a.uri === XSI_NS) {
        if (a.local === 'nil') nilRaw = a.value;
      } else if (a.uri !== XMLNS_NS && a.prefix !== 'xmlns' && a.name !== 'xmlns' && rule && undeclared === null) {
        undeclared = a.name;
      }
    }
    const frame: Frame = {
      name: local,
      line,
      // The root, and the groups of a modelled parent that have a content model of their own
      // (sections not read — eVitals, eHistory … — have none, nor does anything inside them).
      model:
        parent === undefined
          ? (NEMSIS_SEQUENCES.EMSDataSet ?? null)
          : parent.model !== null && rule?.group
            ? (NEMSIS_SEQUENCES[local] ?? null)
            : null,
      at: -1,
      count: 0,
      rule,
      nil: nilRaw === 'true' || nilRaw === '1',
      nv,
      pn,
      codeType,
      text: rule && !rule.group ? '' : null,
    };
    if (parent && parent.text !== null) {
      fault(line, { reason: 'xsd_unexpected_element', field: local, value: `line ${line}: element ${local} inside ${parent.name}, whose content is a simple value` });
    }
    if (nilRaw !== null && !['true', 'false', '1', '0'].includes(nilRaw) && rule) {
      fault(line, { reason: 'xsd_attribute', field: local, value: `line ${line}: xsi:nil="${nilRaw.slice(0, 20)}" is not a boolean` });
    }
    if (undeclared !== null) {
      fault(line, { reason: 'xsd_attribute', field: local, value: `line ${line}: attribute ${undeclared} is not allowed on ${local}` });
    }
    if (local === 'PatientCareReport' && parent?.name === 'Header') {
      report = { line, problem: null, single: new Map(), other: [], secondary: [], meds: [], med: null };
      if (uuid === null) problem({ reason: 'xsd_attribute', field: 'PatientCareReport', value: `line ${line}: PatientCareReport has no UUID attribute (use="required")` });
      else if (!UUID_PATTERN.test(uuid)) problem({ reason: 'xsd_attribute', field: 'PatientCareReport', value: `line ${line}: PatientCareReport UUID "${uuid.slice(0, 40)}" does not match the UUID pattern` });
    }
    if (local === 'eMedications.MedicationGroup' && report) {
      report.med = { code: null, codeType: null, prior: null, response: null, given: false };
    }
    stack.push(frame);
  });
  parser.on('text', (t) => {
    const f = stack[stack.length - 1];
    if (!f) return;
    if (f.text !== null) {
      if (f.text.length < MAX_TEXT) f.text += t.slice(0, MAX_TEXT - f.text.length);
    } else if (f.model && NON_SPACE.test(t)) {
      fault(parser.line, { reason: 'xsd_text', field: f.name, value: `line ${parser.line}: character data in element-only content of ${f.name}` });
    }
  });
  parser.on('cdata', (t) => {
    const f = stack[stack.length - 1];
    if (f?.text !== null && f?.text !== undefined && f.text.length < MAX_TEXT) f.text += t.slice(0, MAX_TEXT - f.text.length);
  });
  parser.on('closetag', () => {
    const f = stack.pop()!;
    const line = parser.line;
    if (f.model) finishSequence(f, line);
    if (f.rule && !f.rule.group) {
      checkLeaf(f, line);
      keep(f);
    }
    if (f.name === 'eMedications.MedicationGroup' && report?.med) {
      report.meds.push(report.med);
      report.med = null;
    }
    if (f.name === 'PatientCareReport' && report && stack[stack.length - 1]?.name === 'Header') {
      batch.push(report);
      reports++;
      report = null;
    }
  });

  const total = opts.totalBytes ?? 0;
  let read = 0;
  let first = true;
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
      let text = chunk as string;
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      read += Buffer.byteLength(text);
      parser.write(text);
      if (batch.length >= BATCH) flush();
      if (total > 0) opts.progress?.(Math.min(1, read / total));
    }
    parser.close();
    flush();
  } catch (e) {
    appender.closeSync();
    if (e instanceof IngestError) throw e;
    // saxes reports "line:column: message" for XML that is not well-formed (a truncated file
    // ends with unclosed tags).
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec((e as Error).message);
    if (m) refuse(file, Number(m[1]), `not well-formed XML: ${m[3]!.trim()} (column ${m[2]})`);
    throw e;
  }
  appender.closeSync();
  if (!rootSeen) refuse(file, 1, 'no XML root element');
  return reports;
}

function appendReport(app: DuckDBAppender, r: Report): void {
  const v = (col: string) => {
    const x = r.single.get(col);
    if (x === undefined || x === null) app.appendNull();
    else app.appendVarchar(x);
  };
  app.appendBigInt(BigInt(r.line));
  if (r.problem) {
    app.appendVarchar(r.problem.reason);
    app.appendVarchar(r.problem.field);
    app.appendVarchar(r.problem.value);
  } else {
    app.appendNull();
    app.appendNull();
    app.appendNull();
  }
  for (const c of ['pcr', 'notified', 'gps', 'age', 'age_units', 'sex', 'gender', 'last_name', 'first_name', 'dob', 'symptom']) v(c);
  app.appendList(r.other, TEXT_LIST);
  v('impression');
  app.appendList(r.secondary, TEXT_LIST);
  app.appendList(
    r.meds
      .filter((m) => m.given)
      .map((m) => structValue({ code: m.code, code_type: m.codeType, prior_to_ems: m.prior, response: m.response })),
    MED_TYPE,
  );
  v('unit_disp');
  v('care_disp');
  v('transport_disp');
  app.endRow();
}

export const emsNemsisXmlAdapter: Adapter = {
  feed: 'ems',
  format: 'nemsis-3.5-xml',
  // Any XML file is read by this adapter, so that a DEMDataSet or a foreign XML document is
  // refused with a reason rather than with "unknown format".
  detect: (s) => s.columns === null && /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*</.test(s.head),

  async stage(conn, file, ctx) {
    try {
      const n = await streamNemsisXml(conn, file, ctx.progress ? { progress: ctx.progress, totalBytes: statSync(file).size } : {});
      if (n === 0) refuse(file, 1, 'the EMSDataSet holds no PatientCareReport');
      await checkNemsis(conn, { jurisdiction: ctx.jurisdiction, linkage: ctx.linkage, format: 'nemsis-3.5-xml', source: EMS_STAGE_SOURCE });
    } finally {
      // Names and dates of birth never outlive the stage.
      await conn.run('DROP TABLE IF EXISTS ems_stage');
    }
  },

  commit: commitEms,
  unassigned: unassignedEms,

  async definitionVersions(conn) {
    const [r] = await rows<{ v: string }>(conn, 'SELECT ems_definition_version() AS v');
    return { ems: r?.v ?? 'unknown' };
  },
};
