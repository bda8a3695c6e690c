import type { Notification } from '../notify/types.js';
import type { AlertMode, Evaluation } from './types.js';

export type ConditionState = 'normal' | 'triggered';

export interface Decision {
  /** What to send now (possibly nothing). */
  send: Notification[];
  /** The state to record, or undefined to leave it as it is. */
  next?: ConditionState;
  /** e.g. `normal→triggered`, for the summary and logs. */
  transition?: string;
}

/**
 * The state-change table of the spec, as a pure function:
 * normal→triggered sends the alert, triggered→normal sends "Returned to Benchmark",
 * triggered→triggered and normal→normal stay quiet. Reports always send; `repeat` alerts (and
 * state-change alerts with STATE_CHANGE_MODE=false) send on every check while triggered, and the
 * recovery message, where they have one, when it is over.
 */
export function decide(
  mode: AlertMode,
  stateChangeMode: boolean,
  previous: ConditionState | undefined,
  evaluation: Evaluation,
): Decision {
  if (evaluation.kind === 'report') return { send: [evaluation.notification] };
  if (evaluation.triggered === null) return { send: [] };
  const next: ConditionState = evaluation.triggered ? 'triggered' : 'normal';
  const prev: ConditionState = previous ?? 'normal';
  const transition = `${prev}→${next}`;
  if (mode === 'repeat' || (mode === 'state-change' && !stateChangeMode)) {
    // Repeating alerts send on every check while triggered; those that have a recovery message
    // still say once that it is over.
    if (evaluation.triggered) return { send: evaluation.alert ? [evaluation.alert] : [], next, transition };
    if (prev === 'triggered' && evaluation.resolved) return { send: [evaluation.resolved], next, transition };
    return { send: [], next, transition };
  }
  if (prev === 'normal' && next === 'triggered') return { send: evaluation.alert ? [evaluation.alert] : [], next, transition };
  if (prev === 'triggered' && next === 'normal') return { send: evaluation.resolved ? [evaluation.resolved] : [], next, transition };
  return { send: [], next, transition };
}
