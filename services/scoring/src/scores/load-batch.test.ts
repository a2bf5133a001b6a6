// When a batch reads a contact's usage document: only when one may exist or the batch may
// write one. The cases that must read are the ones where skipping would score with no usage
// while the contact has some, or would apply a usage event already applied.
import type { InteractionRecorded } from '@cei/contracts';
import type { Delivery } from '@cei/nats';
import type { ScoringInput } from '../domain/score-change';
import type { ContactScoreRow } from '../models';
import { mayHaveUsage } from './load-batch';

const at = '2027-03-01T12:00:00.000Z';

function delivery(seq: number, kind: InteractionRecorded['kind'], properties = {}): Delivery<ScoringInput> {
  const event: InteractionRecorded = {
    v: 1,
    workspaceId: 'ws',
    interactionId: `i${seq}`,
    contactId: 'ann',
    email: null,
    kind,
    variant: null,
    occurredAt: at,
    recordedAt: at,
    properties,
  };
  return { event, seq, redelivered: false, deliveryCount: 1 };
}

function row(lastSeq: number, usageSeq: number | undefined): ContactScoreRow {
  return {
    _id: 'ws:ann',
    workspaceId: 'ws',
    contactId: 'ann',
    body: '{}',
    lastSeq,
    generation: 0,
    sealed: 0,
    published: 0,
    decayCheckAt: null,
    updatedAt: new Date(at),
    ...(usageSeq === undefined ? {} : { usageSeq }),
  };
}

const visit = (seq: number) => delivery(seq, 'PAGE_VISIT');
const usage = (seq: number) => delivery(seq, 'FEATURE_USAGE', { feature: 'reports' });

describe('mayHaveUsage', () => {
  it('does not read for a new contact whose batch brings no usage', () => {
    expect(mayHaveUsage(undefined, [visit(1), visit(2)])).toBe(false);
  });

  it('does not read for a contact written with no usage, whose batch brings none', () => {
    expect(mayHaveUsage(row(5, 0), [visit(6)])).toBe(false);
  });

  it('reads when the batch brings a usage event after the stored position', () => {
    expect(mayHaveUsage(undefined, [visit(1), usage(2)])).toBe(true);
    expect(mayHaveUsage(row(5, 0), [visit(6), usage(7)])).toBe(true);
  });

  it('reads when a usage event is redelivered after the stored position (its usage document may be written)', () => {
    expect(mayHaveUsage(row(5, 0), [usage(6)])).toBe(true);
  });

  it('reads for a merge, which folds in the merged contact usage', () => {
    expect(mayHaveUsage(row(5, 0), [delivery(6, 'CONTACT_MERGED', { from: 'bob' })])).toBe(true);
  });

  it('reads when the score document knows of usage', () => {
    expect(mayHaveUsage(row(9, 4), [visit(10)])).toBe(true);
  });

  it('reads for a score document written before the usage position was recorded', () => {
    expect(mayHaveUsage(row(9, undefined), [visit(10)])).toBe(true);
  });

  it('does not count a usage kind without a feature as usage', () => {
    expect(mayHaveUsage(row(5, 0), [delivery(6, 'FEATURE_USAGE', {})])).toBe(false);
  });
});
