import { identifiesContact, interactionRoute } from './events';
import { isScoringRequest, partitionOf, PARTITIONS, topology, type InteractionRoute } from './subjects';

/** NATS subject matching: `*` is one token, `>` the rest. */
function matches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

const ROUTES: InteractionRoute[] = ['recorded', 'identified', 'profiled'];

describe('subjects and filters', () => {
  const ns = topology('t1');
  const ws = 'acme';
  const contactId = 'ann';
  const p = partitionOf(ws, contactId);
  const other = (p + 1) % PARTITIONS;

  it("takes into scoring's partition consumer the contact's interactions and scoring requests, not its decay schedule", () => {
    const filters = ns.consumerFilters.scoring(p);
    const taken = (subject: string) => filters.some((filter) => matches(filter, subject));
    for (const route of ROUTES) expect(taken(ns.subjects.interactionRecorded(ws, contactId, route))).toBe(true);
    expect(taken(ns.subjects.scoringRequested(ws, contactId))).toBe(true);
    expect(taken(ns.subjects.decayCheckSchedule(ws, contactId))).toBe(false);
    expect(
      ns.consumerFilters
        .scoring(other)
        .some((f) => matches(f, ns.subjects.interactionRecorded(ws, contactId, 'recorded'))),
    ).toBe(false);
  });

  it("sends notification's addresses the interactions that name their contact, the contact projector those and the profiled ones, scoring all", () => {
    const under = (route: InteractionRoute) => ns.subjects.interactionRecorded(ws, contactId, route);
    const [recorded, identified, profiled] = [under('recorded'), under('identified'), under('profiled')];
    expect(new Set([recorded, identified, profiled]).size).toBe(3);
    const takes = (filters: string[], subject: string) => filters.some((filter) => matches(filter, subject));
    const addresses = ns.consumerFilters.identifyingInteractions;
    const projector = ns.consumerFilters.contactProfiles;
    expect([recorded, identified, profiled].map((subject) => takes(addresses(p), subject))).toEqual([
      false,
      true,
      false,
    ]);
    expect([recorded, identified, profiled].map((subject) => takes(projector(p), subject))).toEqual([
      false,
      true,
      true,
    ]);
    expect(takes(addresses(other), identified)).toBe(false);
    expect(takes(projector(other), profiled)).toBe(false);
    for (const filters of [ns.consumerFilters.scoring(p), ns.streams.interactions.partitionFilters(p)]) {
      for (const subject of [recorded, identified, profiled]) expect(takes(filters, subject)).toBe(true);
    }
    for (const subject of [recorded, identified, profiled]) {
      expect(matches(ns.everyWorkspace.interactionsRecorded, subject)).toBe(true);
      expect(isScoringRequest(subject)).toBe(false);
    }
  });

  it('routes an interaction to the contact projector while its contact may be unknown there, and contact events always', () => {
    const visit = { email: null, properties: { url: '/pricing' }, kind: 'PAGE_VISIT' as const };
    expect(interactionRoute(visit, false)).toBe('profiled');
    expect(interactionRoute(visit, true)).toBe('recorded');
    expect(interactionRoute({ ...visit, kind: 'IDENTIFY' }, true)).toBe('profiled');
    expect(interactionRoute({ ...visit, kind: 'CONTACT_MERGED' }, true)).toBe('profiled');
    expect(interactionRoute({ ...visit, email: 'ann@example.com' }, true)).toBe('identified');
    expect(interactionRoute({ ...visit, properties: { name: 'Ann' } }, false)).toBe('identified');
  });

  it('tells an interaction that names its contact (an email or a name) from one that does not', () => {
    expect(identifiesContact({ email: 'ann@example.com', properties: {} })).toBe(true);
    expect(identifiesContact({ email: null, properties: { name: 'Ann' } })).toBe(true);
    expect(identifiesContact({ email: null, properties: { url: '/pricing', name: 42 } })).toBe(false);
  });

  it('keeps every subject a stream is published on inside that stream', () => {
    const inStream = (subjects: string[], subject: string) => subjects.some((filter) => matches(filter, subject));
    const { interactions, scores, phases } = ns.streams;
    for (const route of ROUTES) {
      expect(inStream(interactions.subjects, ns.subjects.interactionRecorded(ws, contactId, route))).toBe(true);
    }
    expect(inStream(interactions.subjects, ns.subjects.scoringRequested(ws, contactId))).toBe(true);
    expect(inStream(interactions.subjects, ns.subjects.decayCheckSchedule(ws, contactId))).toBe(true);
    expect(inStream(scores.subjects, ns.subjects.scoreChanged(ws, contactId))).toBe(true);
    expect(inStream(phases.subjects, ns.subjects.phaseChanged(ws, contactId))).toBe(true);
    expect(inStream(phases.subjects, ns.subjects.qualificationChanged(ws, contactId))).toBe(true);
    expect(inStream(phases.subjects, ns.subjects.ownerAssigned(ws, contactId))).toBe(true);
    // The notification consumer's partitions take phase changes only.
    expect(phases.partitionFilters(3).some((f) => matches(f, ns.subjects.ownerAssigned(ws, contactId)))).toBe(false);
    expect(inStream(ns.deadLetters.subjects, ns.subjects.deadLetter(ws, 'scoring'))).toBe(true);
    expect(inStream(ns.deadLetters.subjects, ns.subjects.deadLetterReplayed(ws, 'scoring', 7))).toBe(true);
  });

  it("confines a workspace's subscription to its own events, and everyWorkspace to its namespace", () => {
    expect(matches(ns.subjects.workspacePhaseChanges(ws), ns.subjects.phaseChanged(ws, contactId))).toBe(true);
    expect(matches(ns.subjects.workspacePhaseChanges('globex'), ns.subjects.phaseChanged(ws, contactId))).toBe(false);
    expect(matches(ns.everyWorkspace.phasesChanged, ns.subjects.phaseChanged(ws, contactId))).toBe(true);
    expect(matches(ns.everyWorkspace.phasesChanged, topology('t2').subjects.phaseChanged(ws, contactId))).toBe(false);
  });

  it('tells a scoring request from an interaction by its subject', () => {
    expect(isScoringRequest(ns.subjects.scoringRequested(ws, contactId))).toBe(true);
    expect(isScoringRequest(ns.subjects.interactionRecorded(ws, contactId, 'recorded'))).toBe(false);
  });
});
