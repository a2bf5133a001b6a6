// Pure phase evaluation. Prospects move NURTURE ⇄ PURCHASE on the purchase
// thresholds; a PURCHASE or SUBSCRIPTION_STARTED moves a prospect, or a customer in
// EXIT, into RETENTION; customers move RETENTION ⇄ EXIT on the exit thresholds.
// Separate enter and leave thresholds keep a contact near one from flapping, and so
// does the policy's minimum dwell before a move back; a customer a purchase brought
// into RETENTION is not sent to EXIT during the policy's grace period.
import { CUSTOMER_KINDS, type IndexHalf, type InteractionKind, type Phase } from '@cei/contracts';
import type { LifecyclePolicy } from './policy';

export interface PhaseState {
  phase: Phase;
  half: IndexHalf;
  /** The phase the contact came from and when it entered its phase; null before its first transition. */
  entered: { from: Phase; at: Date } | null;
  /** When a purchase or subscription last moved the contact into RETENTION (its grace starts then). */
  customerEnteredAt: Date | null;
}

export interface ScoreSignal {
  general: number;
  /** The interaction behind the change (null: decay, a stage reset, a recompute). */
  kind: InteractionKind | null;
  /** When lifecycle applies the change: the clock of dwell and grace. */
  at: Date;
}

export interface Transition {
  from: Phase;
  to: Phase;
  half: IndexHalf;
  reason: string;
  /** A purchase or subscription brought the contact into RETENTION: a new customer's grace starts. */
  startsGrace: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function evaluatePhase(state: PhaseState, policy: LifecyclePolicy, signal: ScoreSignal): Transition | null {
  const { general, kind, at } = signal;
  const move = (to: Phase, half: IndexHalf, reason: string, startsGrace = false): Transition | null =>
    to === state.phase ? null : { from: state.phase, to, half, reason, startsGrace };
  // A score may not take the contact back where it came from before it stayed the minimum dwell.
  const dwelling = (to: Phase) =>
    state.entered !== null &&
    state.entered.from === to &&
    at.getTime() - state.entered.at.getTime() < policy.minDwellMinutes * MINUTE_MS;

  const customerKind = kind !== null && CUSTOMER_KINDS.has(kind);
  if (customerKind && (state.half === 'PROSPECT' || state.phase === 'EXIT')) {
    const what = kind === 'PURCHASE' ? 'purchase' : 'subscription';
    const reason = state.half === 'PROSPECT' ? `first ${what}` : `${what} while in EXIT`;
    return move('RETENTION', 'CUSTOMER', reason, true);
  }
  if (state.half === 'PROSPECT') {
    if (state.phase === 'NURTURE' && general >= policy.purchaseEnterScore && !dwelling('PURCHASE')) {
      return move(
        'PURCHASE',
        'PROSPECT',
        `score ${fmt(general)} reached the purchase threshold ${fmt(policy.purchaseEnterScore)}`,
      );
    }
    if (state.phase === 'PURCHASE' && general < policy.purchaseLeaveScore && !dwelling('NURTURE')) {
      return move('NURTURE', 'PROSPECT', `score ${fmt(general)} fell below ${fmt(policy.purchaseLeaveScore)}`);
    }
    return null;
  }
  // A purchase or subscription is engagement in itself: it never sends a customer to EXIT,
  // neither by itself nor by the score changes that follow it within the grace period.
  const inGrace =
    state.customerEnteredAt !== null &&
    at.getTime() - state.customerEnteredAt.getTime() < policy.newCustomerGraceDays * DAY_MS;
  if (state.phase === 'RETENTION' && general < policy.exitEnterScore && !customerKind && !inGrace) {
    if (dwelling('EXIT')) return null;
    return move(
      'EXIT',
      'CUSTOMER',
      `score ${fmt(general)} fell below the exit threshold ${fmt(policy.exitEnterScore)}`,
    );
  }
  if (state.phase === 'EXIT' && general >= policy.exitLeaveScore && !dwelling('RETENTION')) {
    return move('RETENTION', 'CUSTOMER', `score ${fmt(general)} recovered to ${fmt(policy.exitLeaveScore)}`);
  }
  return null;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
