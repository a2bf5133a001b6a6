// The event query's first fetch answered from the event: the operations below are as the gateway's
// query planner wrote them for subscriptions of this graph (captured from a running gateway).
import { answerFromEvent, type EventEntity } from './event-entity';

const transition: EventEntity = {
  field: 'phaseTransition',
  id: 'c0~1',
  value: {
    __typename: 'PhaseTransition',
    id: 'c0~1',
    from: 'NURTURE',
    to: 'PURCHASE',
    at: '2026-12-04T10:00:00.000Z',
    reason: 'general score 40 reached the purchase threshold 12',
    score: 40,
    cause: null,
    contact: { __typename: 'Contact', id: 'c0' },
  },
};
const byEventId = { __eventId: 'c0~1' };

describe('answerFromEvent', () => {
  it("answers the planner's first fetch with the fields the event carries, aliases and typenames included", () => {
    const query =
      'query CEI_SubscriptionEvent__lifecycle__0($__eventId:ID!){phaseTransition(id:$__eventId){to t:to cause contact{__typename id}}}';

    expect(answerFromEvent(query, byEventId, transition)).toEqual({
      data: {
        phaseTransition: { to: 'PURCHASE', t: 'PURCHASE', cause: null, contact: { __typename: 'Contact', id: 'c0' } },
      },
    });
  });

  it('reads inline fragments on the entity type, skips those on another, and merges a key selected twice', () => {
    const query =
      'query Q($__eventId:ID!){phaseTransition(id:$__eventId){...on PhaseTransition{from contact{id}} ...on Other{x} contact{__typename}}}';

    expect(answerFromEvent(query, byEventId, transition)).toEqual({
      data: { phaseTransition: { from: 'NURTURE', contact: { id: 'c0', __typename: 'Contact' } } },
    });
  });

  it('leaves to the subgraph a fetch that selects a field the event does not carry', () => {
    // contact.phase is lifecycle's; interactionId is absent from this (older) event
    for (const selection of ['id to contact{__typename id phase}', 'interactionId']) {
      const query = `query Q($__eventId:ID!){phaseTransition(id:$__eventId){${selection}}}`;
      expect(answerFromEvent(query, byEventId, transition)).toBeUndefined();
    }
  });

  it('leaves to the subgraph what only looks like the event query: another id, field, operation or shape', () => {
    const others = [
      // another transition's id
      ['query Q($__eventId:ID!){phaseTransition(id:$__eventId){to}}', { __eventId: 'c0~2' }],
      // another root field, a mutation, a second root field, @include, a named fragment, arguments, an object read as a leaf
      ['query Q($__eventId:ID!){_entities(representations:[]){...on Contact{phase}}}', byEventId],
      ['mutation M($__eventId:ID!){phaseTransition(id:$__eventId){to}}', byEventId],
      ['query Q($__eventId:ID!){phaseTransition(id:$__eventId){to} other{x}}', byEventId],
      ['query Q($__eventId:ID!,$on:Boolean!){phaseTransition(id:$__eventId){to @include(if:$on)}}', byEventId],
      ['query Q($__eventId:ID!){phaseTransition(id:$__eventId){...F}} fragment F on PhaseTransition{to}', byEventId],
      ['query Q($__eventId:ID!){phaseTransition(id:$__eventId){contact(first:1){id}}}', byEventId],
      ['query Q($__eventId:ID!){phaseTransition(id:$__eventId){contact}}', byEventId],
      ['not graphql {', byEventId],
    ] as const;
    for (const [query, variables] of others) {
      expect(answerFromEvent(query, variables, transition)).toBeUndefined();
    }
    expect(answerFromEvent('query Q{phaseTransition(id:"c0~1"){to}}', {}, transition)).toEqual({
      data: { phaseTransition: { to: 'PURCHASE' } },
    });
  });
});
