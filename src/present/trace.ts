// haproxy dev/poll/poll's trace format. A step line reads
//   cmd #2 stp #1: pol(c=4): ret=1 ev=0x14 (OUT HUP)
// and is byte-identical to that tool's apart from descriptor numbers.
// pollmatrix adds text only where that tool prints nothing useful or hangs,
// or for its own actions:
//   - a bounded wait that ran out:  acc(l=3): timeout=1000ms (no connection pending: ...)
//   - a failed epoll_ctl():         ... ev=0 [epoll_ctl(EPOLL_CTL_ADD) failed]
//   - a mechanism that could not be asked: pol(c=4): not measured (reason)
//   - kqueue, which returns kevents, not a mask (form: src/kqueue.ts):
//       pol(c=4): ret=2 ev=READ[EOF data=0 fflags=ECONNRESET] WRITE[EOF data=8192]
//   - soe, the socket error it read: soe(c=4): ret=0 so_error=ECONNREFUSED (Connection refused)
//   - the note of an extension action (nbc ful oob soe opn oil arm) or of a
//     pol, in brackets: arm(c=4): ret=0 [this mechanism asks afresh at every pol: ...]
import { observationKind } from '../native/observations/index.js';
import type { ObservedStep } from '../model/observed.js';
import { actionWord } from '../model/scenario-syntax.js';

export const BEGIN = '#### BEGIN ####';
export const END = '#### END ####';

/** One step's line. `haproxyActions` are that tool's own actions
 * (binding.actions() marks them): their lines stay exactly as it prints
 * them, so their notes (MSG_MORE missing on macOS) stay in --json only. A
 * `pol`'s note comes only from a mechanism that tool never had (kqueue
 * leaving out a kevent for another descriptor), so it is printed. */
export function traceLine(step: ObservedStep, timeoutMs: number, haproxyActions: ReadonlySet<string> = new Set()): string {
  const head = `cmd #${step.cmd} stp #${step.stp}: ${actionWord(step)}(${step.side}=${step.fd}): `;
  const obs = step.observation;
  if (obs?.notMeasured !== undefined) return `${head}not measured (${obs.notMeasured})`;
  if (step.timedOut) {
    // accept() was not called at all; a drain reports what it got so far.
    const ret = step.action === 'acc' ? '' : `ret=${step.ret} `;
    return `${head}${ret}timeout=${timeoutMs}ms (${step.note ?? 'the call would block'})`;
  }
  let line = `${head}ret=${step.ret}`;
  if (step.errno) line += ` (${step.errno.message})`;
  if (step.soError) {
    line += step.soError.number === 0 ? ' so_error=0' : ` so_error=${step.soError.name ?? step.soError.number} (${step.soError.message})`;
  }
  if (step.action === 'pol' && obs) {
    line += observationKind(obs.kind)?.traceEv(step) ?? ` ev=? (observation kind '${obs.kind}' unknown to this pollmatrix)`;
    if (obs.failedCall) line += ` [${obs.failedCall} failed]`;
  }
  if (step.note && (step.action === 'pol' || !haproxyActions.has(step.action))) line += ` [${step.note}]`;
  return line;
}
