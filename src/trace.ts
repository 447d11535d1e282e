// haproxy dev/poll/poll's trace format. A step line reads
//   cmd #2 stp #1: pol(c=4): ret=1 ev=0x14 (OUT HUP)
// and is byte-identical to that tool's apart from descriptor numbers.
// pollmatrix adds text only where that tool prints nothing useful or hangs:
//   - a bounded wait that ran out:  acc(l=3): timeout=1000ms (no connection pending: ...)
//   - a failed epoll_ctl():         ... ev=0 [epoll_ctl(EPOLL_CTL_ADD) failed]
//   - a mechanism that could not be asked: pol(c=4): not measured (reason)
//   - kqueue, which returns kevents, not a mask (form: src/kqueue.ts):
//       pol(c=4): ret=2 ev=READ[EOF data=0 fflags=ECONNRESET] WRITE[EOF data=8192]
import type { ObservedStep } from './runner.js';

export const BEGIN = '#### BEGIN ####';
export const END = '#### END ####';

export function traceLine(step: ObservedStep, timeoutMs: number): string {
  const head = `cmd #${step.cmd} stp #${step.stp}: ${step.action}(${step.side}=${step.fd}): `;
  const obs = step.observation;
  if (obs?.notMeasured !== undefined) return `${head}not measured (${obs.notMeasured})`;
  if (step.timedOut) {
    // accept() was not called at all; a drain reports what it got so far.
    const ret = step.action === 'acc' ? '' : `ret=${step.ret} `;
    return `${head}${ret}timeout=${timeoutMs}ms (${step.note ?? 'the call would block'})`;
  }
  let line = `${head}ret=${step.ret}`;
  if (step.errno) line += ` (${step.errno.message})`;
  if (step.action === 'pol' && obs && step.keventText !== undefined) {
    line += ` ev=${step.keventText}`;
    if (obs.failedCall) line += ` [${obs.failedCall} failed]`;
  } else if (step.action === 'pol' && obs) {
    line += ` ev=${step.rawHex ?? '0'} `;
    if (step.ret > 0 && step.names && step.names.length > 0) line += `(${step.names.join(' ')})`;
    if (obs.failedCall) line += ` [${obs.failedCall} failed]`;
  }
  return line;
}
