import { identifiesContact } from './events';
import { isScoringRequest, partitionOf, PARTITIONS, topology } from './subjects';

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

describe('subjects and filters', () => {
  const ns = topology('t1');
  const ws = 'acme';
  const contactId = 'ann';
  const p = partitionOf(ws, contactId);
  const other = (p + 1) % PARTITIONS;

  it("takes into scoring's partition consumer the contact's interactions and scoring requests, not its decay schedule", () => {
    const filters = ns.consumerFilters.scoring(p);
    const taken = (subject: string) => filters.some((filter) => matches(filter, subject));
    expect(taken(ns.subjects.interactionRecorded(ws, contactId))).toBe(true);
    expect(taken(ns.subjects.scoringRequested(ws, contactId))).toBe(true);
    expect(taken(ns.subjects.decayCheckSchedule(ws, contactId))).toBe(false);
    expect(
      ns.consumerFilters.scoring(other).some((f) => matches(f, ns.subjects.interactionRecorded(ws, contactId))),
    ).toBe(false);
  });

  it('sends the consumer of addresses only the interactions that name their contact, and the others both', () => {
    const plain = ns.subjects.interactionRecorded(ws, contactId);
    const identifying = ns.subjects.interactionRecorded(ws, contactId, true);
    expect(plain).not.toBe(identifying);
    const takes = (filters: string[], subject: string) => filters.some((filter) => matches(filter, subject));
    expect(takes(ns.consumerFilters.identifyingInteractions(p), identifying)).toBe(true);
    expect(takes(ns.consumerFilters.identifyingInteractions(p), plain)).toBe(false);
    expect(takes(ns.consumerFilters.identifyingInteractions(other), identifying)).toBe(false);
    for (const filters of [ns.consumerFilters.scoring(p), ns.streams.interactions.partitionFilters(p)]) {
      expect(takes(filters, plain)).toBe(true);
      expect(takes(filters, identifying)).toBe(true);
    }
    expect(matches(ns.everyWorkspace.interactionsRecorded, identifying)).toBe(true);
    expect(isScoringRequest(identifying)).toBe(false);
  });

  it('tells an interaction that names its contact (an email or a name) from one that does not', () => {
    expect(identifiesContact({ email: 'ann@example.com', properties: {} })).toBe(true);
    expect(identifiesContact({ email: null, properties: { name: 'Ann' } })).toBe(true);
    expect(identifiesContact({ email: null, properties: { url: '/pricing', name: 42 } })).toBe(false);
  });

  it('keeps every subject a stream is published on inside that stream', () => {
    const inStream = (subjects: string[], subject: string) => subjects.some((filter) => matches(filter, subject));
    const { interactions, scores, phases } = ns.streams;
    expect(inStream(interactions.subjects, ns.subjects.interactionRecorded(ws, contactId))).toBe(true);
    expect(inStream(interactions.subjects, ns.subjects.interactionRecorded(ws, contactId, true))).toBe(true);
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
    expect(isScoringRequest(ns.subjects.interactionRecorded(ws, contactId))).toBe(false);
  });
});
