// Pure phase evaluation. Prospects move NURTURE ⇄ PURCHASE on the purchase
// thresholds (and on to PURCHASE by the policy's stage-score and purchase-likelihood
// rules); a PURCHASE or SUBSCRIPTION_STARTED moves a prospect, or a customer in EXIT,
// into RETENTION; customers move RETENTION ⇄ EXIT on the exit thresholds (and to EXIT
// by the churn-likelihood and cancellation rules), and back to the prospects after a
// long stay in EXIT when the policy says so. Separate enter and leave thresholds keep a
// contact near one from flapping, and so does the policy's minimum dwell before a move
// back; a customer a purchase brought into RETENTION is not sent to EXIT during the
// policy's grace period. `nextPhaseCheck` says when a rule of time comes due.
import { CUSTOMER_KINDS, type IndexHalf, type InteractionKind, type Phase } from '@cei/contracts';
import type { LifecyclePolicy } from './policy';

/** Which rule moved a contact (kept on its transition: how it entered its phase says how it may leave). */
export type PhaseRule =
  | 'CUSTOMER_KIND'
  | 'SCORE'
  | 'STAGE_SCORE'
  | 'PURCHASE_LIKELIHOOD'
  | 'CHURN_LIKELIHOOD'
  | 'CANCELLED'
  | 'RETURN_TO_PROSPECT';

export interface PhaseState {
  phase: Phase;
  half: IndexHalf;
  /**
   * The phase the contact came from, when it entered its phase and by which rule (absent on
   * transitions recorded before rules were kept: the general score); null before its first transition.
   */
  entered: { from: Phase; at: Date; rule?: PhaseRule } | null;
  /** When a purchase or subscription last moved the contact into RETENTION (its grace starts then). */
  customerEnteredAt: Date | null;
  /** When a SUBSCRIPTION_CANCELLED was applied with no interaction since (absent or null: none). */
  cancelledAt?: Date | null;
}

export interface ScoreSignal {
  general: number;
  /** The interaction behind the change (null: decay, a stage reset, a recompute, a due check). */
  kind: InteractionKind | null;
  /** When lifecycle applies the change: the clock of dwell and grace. */
  at: Date;
  /** Points earned since the contact entered its phase (absent: the stage-score rule cannot apply). */
  stage?: number;
  /** The contact's likelihoods (absent or null: unknown, the likelihood rules cannot apply). */
  likelihoods?: { churn: number; purchase: number } | null;
}

export interface Transition {
  from: Phase;
  to: Phase;
  half: IndexHalf;
  reason: string;
  rule: PhaseRule;
  /** A purchase or subscription brought the contact into RETENTION: a new customer's grace starts. */
  startsGrace: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export function evaluatePhase(state: PhaseState, policy: LifecyclePolicy, signal: ScoreSignal): Transition | null {
  const { general, kind, at } = signal;
  const move = (to: Phase, half: IndexHalf, reason: string, rule: PhaseRule, startsGrace = false): Transition | null =>
    to === state.phase ? null : { from: state.phase, to, half, reason, rule, startsGrace };
  // A score may not take the contact back where it came from before it stayed the minimum dwell.
  const dwelling = (to: Phase) =>
    state.entered !== null &&
    state.entered.from === to &&
    at.getTime() - state.entered.at.getTime() < policy.minDwellMinutes * MINUTE_MS;
  const churn = signal.likelihoods?.churn;
  const purchase = signal.likelihoods?.purchase;
  const churnHolds =
    policy.churnExitLikelihood !== undefined && churn !== undefined && churn >= policy.churnExitLikelihood;
  const cancelledFor = state.cancelledAt ? at.getTime() - state.cancelledAt.getTime() : null;
  const cancelledHolds =
    policy.cancelledExitDays !== undefined &&
    cancelledFor !== null &&
    cancelledFor >= policy.cancelledExitDays * DAY_MS;

  const customerKind = kind !== null && CUSTOMER_KINDS.has(kind);
  if (customerKind && (state.half === 'PROSPECT' || state.phase === 'EXIT')) {
    const what = kind === 'PURCHASE' ? 'purchase' : 'subscription';
    const reason = state.half === 'PROSPECT' ? `first ${what}` : `${what} while in EXIT`;
    return move('RETENTION', 'CUSTOMER', reason, 'CUSTOMER_KIND', true);
  }
  if (state.half === 'PROSPECT') {
    if (state.phase === 'NURTURE' && !dwelling('PURCHASE')) {
      if (general >= policy.purchaseEnterScore) {
        return move(
          'PURCHASE',
          'PROSPECT',
          `score ${fmt(general)} reached the purchase threshold ${fmt(policy.purchaseEnterScore)}`,
          'SCORE',
        );
      }
      const stageEnter = policy.stageEnterPurchaseScore;
      if (stageEnter !== undefined && signal.stage !== undefined && signal.stage >= stageEnter) {
        return move(
          'PURCHASE',
          'PROSPECT',
          `stage score ${fmt(signal.stage)} reached ${fmt(stageEnter)}`,
          'STAGE_SCORE',
        );
      }
      const likelihoodEnter = policy.purchaseEnterLikelihood;
      if (likelihoodEnter !== undefined && purchase !== undefined && purchase >= likelihoodEnter) {
        return move(
          'PURCHASE',
          'PROSPECT',
          `purchase likelihood ${fmt(purchase)} reached ${fmt(likelihoodEnter)}`,
          'PURCHASE_LIKELIHOOD',
        );
      }
    }
    // Only a contact the general score moved on falls back by it: the stage score restarts in
    // the new phase and a likelihood has no band, so those would bounce back at once.
    const movedByScore = (state.entered?.rule ?? 'SCORE') === 'SCORE';
    if (state.phase === 'PURCHASE' && movedByScore && general < policy.purchaseLeaveScore && !dwelling('NURTURE')) {
      return move('NURTURE', 'PROSPECT', `score ${fmt(general)} fell below ${fmt(policy.purchaseLeaveScore)}`, 'SCORE');
    }
    return null;
  }
  // A purchase or subscription is engagement in itself: it never sends a customer to EXIT,
  // neither by itself nor by the score changes that follow it within the grace period.
  const inGrace =
    state.customerEnteredAt !== null &&
    at.getTime() - state.customerEnteredAt.getTime() < policy.newCustomerGraceDays * DAY_MS;
  if (state.phase === 'RETENTION' && !customerKind && !dwelling('EXIT')) {
    if (general < policy.exitEnterScore && !inGrace) {
      return move(
        'EXIT',
        'CUSTOMER',
        `score ${fmt(general)} fell below the exit threshold ${fmt(policy.exitEnterScore)}`,
        'SCORE',
      );
    }
    if (churnHolds && !inGrace) {
      return move(
        'EXIT',
        'CUSTOMER',
        `churn likelihood ${fmt(churn!)} reached ${fmt(policy.churnExitLikelihood!)}`,
        'CHURN_LIKELIHOOD',
      );
    }
    // An explicit cancellation is not a new customer's doubt: the grace does not hold it.
    if (cancelledHolds) {
      return move(
        'EXIT',
        'CUSTOMER',
        `subscription cancelled with no interaction for ${fmt(policy.cancelledExitDays!)} days`,
        'CANCELLED',
      );
    }
  }
  if (state.phase === 'EXIT') {
    // Back only once no rule that sends a customer to EXIT holds any more.
    const exitHolds = churnHolds || (policy.cancelledExitDays !== undefined && cancelledFor !== null);
    if (general >= policy.exitLeaveScore && !exitHolds && !dwelling('RETENTION')) {
      return move('RETENTION', 'CUSTOMER', `score ${fmt(general)} recovered to ${fmt(policy.exitLeaveScore)}`, 'SCORE');
    }
    const returnDays = policy.returnToProspectAfterDays;
    if (returnDays !== undefined && state.entered && at.getTime() - state.entered.at.getTime() >= returnDays * DAY_MS) {
      return move('NURTURE', 'PROSPECT', `${fmt(returnDays)} days in EXIT: a prospect again`, 'RETURN_TO_PROSPECT');
    }
  }
  return null;
}

/**
 * The next time a rule of time (a grace or a dwell ending, a cancellation's window, a stay in
 * EXIT) would move the contact with no new score: the first such moment after `now` at which
 * evaluating its stored figures gives a transition; null when none will.
 */
export function nextPhaseCheck(
  state: PhaseState,
  policy: LifecyclePolicy,
  figures: Omit<ScoreSignal, 'kind' | 'at'>,
  now: Date,
): Date | null {
  const candidates = new Set<number>();
  const after = (start: Date | null | undefined, ms: number | undefined) => {
    if (start && ms !== undefined && start.getTime() + ms > now.getTime()) candidates.add(start.getTime() + ms);
  };
  after(state.customerEnteredAt, policy.newCustomerGraceDays * DAY_MS);
  after(state.entered?.at, policy.minDwellMinutes * MINUTE_MS);
  if (policy.cancelledExitDays !== undefined) after(state.cancelledAt, policy.cancelledExitDays * DAY_MS);
  if (policy.returnToProspectAfterDays !== undefined && state.phase === 'EXIT') {
    after(state.entered?.at, policy.returnToProspectAfterDays * DAY_MS);
  }
  for (const due of [...candidates].sort((a, b) => a - b)) {
    if (evaluatePhase(state, policy, { ...figures, kind: null, at: new Date(due) })) return new Date(due);
  }
  return null;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
