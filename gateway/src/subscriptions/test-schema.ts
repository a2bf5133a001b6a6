// The API schema around phaseChanged, as the subgraphs compose it, for unit tests.
import { buildSchema } from 'graphql';

export const testApiSchema = buildSchema(`
  enum Phase { NURTURE PURCHASE RETENTION EXIT }
  type Score { general: Float! engagementIndex: Float! }
  type Contact { id: ID! email: String phase: Phase! score: Score! }
  type PhaseTransition { id: ID! from: Phase! to: Phase! at: String! reason: String! contact: Contact! }
  type ScoreChange { id: ID! }
  input PhaseChangedFilter { phases: [Phase!] contactIds: [ID!] }
  type Query { phaseTransition(id: ID!): PhaseTransition contact(id: ID!): Contact scoreChange(id: ID!): ScoreChange }
  type Subscription { phaseChanged(filter: PhaseChangedFilter, after: ID): PhaseTransition! scoreChanged(after: ID): ScoreChange! }
`);
