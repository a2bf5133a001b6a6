// Pure phase evaluation. Prospects move NURTURE ⇄ PURCHASE on the purchase
// threshold; a first PURCHASE or SUBSCRIPTION_STARTED moves a contact into the
// customer half (RETENTION); customers move RETENTION ⇄ EXIT on the exit
// threshold. Hysteresis keeps a contact near a threshold from flapping.
import { CUSTOMER_KINDS, type FieldProblem, type IndexHalf, type InteractionKind, type Phase } from '@cei/contracts';

export interface LifecyclePolicy {
  purchaseScore: number;
  exitScore: number;
  hysteresis: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = { purchaseScore: 50, exitScore: 20, hysteresis: 5 };

export interface PhaseState {
  phase: Phase;
  half: IndexHalf;
}

export interface ScoreSignal {
  general: number;
  /** The interaction behind the change (null: decay, a stage reset, a recompute). */
  kind: InteractionKind | null;
}

export interface Transition {
  from: Phase;
  to: Phase;
  half: IndexHalf;
  reason: string;
}

export function evaluatePhase(state: PhaseState, policy: LifecyclePolicy, signal: ScoreSignal): Transition | null {
  const { general, kind } = signal;
  const move = (to: Phase, half: IndexHalf, reason: string): Transition | null =>
    to === state.phase ? null : { from: state.phase, to, half, reason };

  const customerKind = kind !== null && CUSTOMER_KINDS.has(kind);
  if (customerKind && (state.half === 'PROSPECT' || state.phase === 'EXIT')) {
    const what = kind === 'PURCHASE' ? 'purchase' : 'subscription';
    return move('RETENTION', 'CUSTOMER', state.half === 'PROSPECT' ? `first ${what}` : `${what} while in EXIT`);
  }
  if (state.half === 'PROSPECT') {
    if (state.phase === 'NURTURE' && general >= policy.purchaseScore) {
      return move(
        'PURCHASE',
        'PROSPECT',
        `score ${fmt(general)} reached the purchase threshold ${fmt(policy.purchaseScore)}`,
      );
    }
    if (state.phase === 'PURCHASE' && general < policy.purchaseScore - policy.hysteresis) {
      return move(
        'NURTURE',
        'PROSPECT',
        `score ${fmt(general)} fell below ${fmt(policy.purchaseScore - policy.hysteresis)}`,
      );
    }
    return null;
  }
  // A purchase or subscription is engagement in itself: it never sends a customer to EXIT.
  if (state.phase === 'RETENTION' && general < policy.exitScore && !customerKind) {
    return move('EXIT', 'CUSTOMER', `score ${fmt(general)} fell below the exit threshold ${fmt(policy.exitScore)}`);
  }
  if (state.phase === 'EXIT' && general >= policy.exitScore + policy.hysteresis) {
    return move(
      'RETENTION',
      'CUSTOMER',
      `score ${fmt(general)} recovered to ${fmt(policy.exitScore + policy.hysteresis)}`,
    );
  }
  return null;
}

/** Problems with a policy, each naming its field; empty when valid. */
export function policyProblems(policy: LifecyclePolicy): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of ['purchaseScore', 'exitScore', 'hysteresis'] as const) {
    if (!Number.isFinite(policy[field])) problems.push({ path: `input.${field}`, message: 'must be a finite number' });
  }
  if (policy.hysteresis < 0) problems.push({ path: 'input.hysteresis', message: 'must be 0 or more' });
  if (policy.purchaseScore - policy.hysteresis < 0) {
    problems.push({
      path: 'input.hysteresis',
      message: 'purchaseScore − hysteresis must not be negative (contacts could never fall back)',
    });
  }
  return problems;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
