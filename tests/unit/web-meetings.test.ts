// The meetings view's pure parts: the URL, agencies typed in, action items (carried over told
// apart from the meeting's own), the agenda's counts and what a role with a threshold is told.
import { describe, expect, it } from 'vitest';
import { actionRows, actionTable, agendaCounts, agendaHiddenNote, canEditMeetings, parseAgencies, readMeetings, statusText, today, writeMeetings } from '../../web/src/views/meetings/meetings.ts';
import { meeting } from '../helpers/web-meeting.ts';

describe('meetings URL state', () => {
  it('round-trips the meeting and drops a malformed one', () => {
    expect(readMeetings(writeMeetings({ meeting: 12 }, '?j=nyc'))).toEqual({ meeting: 12 });
    expect(writeMeetings({ meeting: null }, '?view=meetings&meeting=3&j=nyc')).toBe('?view=meetings&j=nyc');
    expect(readMeetings('?meeting=0')).toEqual({ meeting: null });
    expect(readMeetings('?meeting=abc')).toEqual({ meeting: null });
  });
});

describe('agencies', () => {
  it('splits on commas, semicolons and lines, trims, and drops repeats', () => {
    expect(parseAgencies(' Health Department, Police  Department;EMS\nhealth department\n, ')).toEqual(['Health Department', 'Police Department', 'EMS']);
  });
  it('lets every member role edit (the server: access "members"), not the public view', () => {
    expect(['analyst', 'commander', 'partner', 'admin'].every(canEditMeetings)).toBe(true);
    expect(canEditMeetings('public')).toBe(false);
    expect(canEditMeetings(null)).toBe(false);
  });
});

describe('action items', () => {
  it('lists carried-over items first and marks them, open before closed', () => {
    const rows = actionRows(meeting());
    expect(rows.map((r) => [r.id, r.carried])).toEqual([
      [1, true],
      [2, true],
      [5, false],
      [4, false],
    ]);
    expect(rows[0]!.statusText).toBe('open, overdue (due 2025-11-20)');
    expect(rows[1]!.statusText).toBe('done (2025-12-02)');
  });

  it('makes the table behind the list', () => {
    const t = actionTable(meeting());
    expect(t.rows[0]).toEqual({ description: 'Item 1', ownerAgency: 'Health Department', dueDate: '2025-11-20', status: 'open, overdue (due 2025-11-20)', raised: 'meeting of 2025-11-04 (carried over)' });
    expect(t.rows[2]!.raised).toBe('this meeting');
  });

  it('words each status', () => {
    expect(statusText({ status: 'dropped', overdue: false, closedOn: null, dueDate: null })).toBe('dropped');
    expect(statusText({ status: 'open', overdue: false, closedOn: null, dueDate: '2026-01-01' })).toBe('open');
  });
});

describe('the agenda', () => {
  it('counts what is on it', () => {
    expect(agendaCounts(meeting())).toEqual({ actions: 1, signals: 1, supply: 0, plan: 1 });
  });

  it('says what the role does not see, and nothing when it sees all', () => {
    expect(agendaHiddenNote(meeting(), 'analyst')).toBeNull();
    const m = meeting();
    const hidden = meeting({
      agenda: {
        ...m.agenda,
        signals: m.agenda.signals.map((s) => ({ ...s, peakObserved: null, peakExpected: null })),
        supply: [{ substance: 'medetomidine', feed: 'drugcheck', firstSeen: '2025-11', area: null, areaName: null, samplesInPeriod: null, samplesText: 'fewer than 10' }],
      },
    });
    const note = agendaHiddenNote(hidden, 'commander')!;
    expect(note).toMatch(/^Hidden for your role \(commander\): the observed and expected counts at an alert’s peak/);
    expect(note).toMatch(/first-seen substance/);
  });

  it('dates a new meeting today, in the page’s zone', () => {
    expect(today(new Date(2026, 0, 6, 23, 30))).toBe('2026-01-06');
  });
});
