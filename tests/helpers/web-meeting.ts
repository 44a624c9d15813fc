// A meeting as GET /api/v1/meetings/{id} answers it, for the unit tests of the meetings view and
// presentation mode: two action items carried over (one overdue, one closed here), two raised here,
// one signal on the agenda with its peak counts (as an analyst reads it) and a plan.
import type { ActionItem, Meeting } from '../../web/src/views/meetings/meetings-api.ts';

export function action(id: number, over: Partial<ActionItem> = {}): ActionItem {
  return {
    id,
    meetingId: 1,
    meetingDate: '2025-11-04',
    ownerAgency: 'Health Department',
    description: `Item ${id}`,
    dueDate: null,
    status: 'open',
    overdue: false,
    closedOn: null,
    closedInMeetingId: null,
    createdAt: '2025-11-04T15:00:00Z',
    createdBy: 'a@x',
    updatedAt: '2025-11-04T15:00:00Z',
    updatedBy: 'a@x',
    ...over,
  };
}

export function meeting(over: Partial<Meeting> = {}): Meeting {
  return {
    id: 2,
    jurisdiction: 'nyc',
    date: '2025-12-02',
    title: null,
    periodFrom: '2025-11-05',
    periodTo: '2025-12-02',
    agencies: ['Health Department', 'Police Department'],
    notes: '',
    createdAt: '2025-12-02T15:00:00Z',
    createdBy: 'a@x',
    updatedAt: '2025-12-02T15:00:00Z',
    updatedBy: 'a@x',
    previousMeetingId: 1,
    actions: [action(5, { meetingId: 2, meetingDate: '2025-12-02' }), action(4, { meetingId: 2, meetingDate: '2025-12-02', status: 'done', closedOn: '2025-12-02' })],
    carriedOver: [action(2, { status: 'done', closedOn: '2025-12-02' }), action(1, { dueDate: '2025-11-20', overdue: true })],
    agenda: {
      periodFrom: '2025-11-05',
      periodTo: '2025-12-02',
      items: [],
      signals: [
        {
          alertId: 9,
          indicator: 'ems.opioid_overdose',
          indicatorLabel: 'EMS suspected opioid overdoses',
          method: 'essence',
          cadence: 'day',
          area: '106',
          areaName: 'High Bridge - Morrisania',
          status: 'closed',
          openedOn: '2025-11-22',
          lastSignalOn: '2025-11-24',
          closedOn: '2025-12-01',
          redPeriods: 2,
          yellowPeriods: 1,
          peakObserved: 13,
          peakExpected: 2.5,
          acknowledged: true,
          note: null,
        },
      ],
      supply: [],
      plan: { planId: 3, month: '2025-12', kits: 5000, units: 8, createdAt: '2025-12-01T10:00:00Z' },
      clusters: 'not stored',
    },
    ...over,
  };
}
