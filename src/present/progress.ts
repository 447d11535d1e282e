// A progress bar on stderr for long runs: drawn only on a terminal, only once
// a run has taken more than a second, at most ten times a second, and erased
// when the run ends. Hand-written: a progress library would bring more code
// than these few lines, and none fits the "only after a second" rule without
// the same wrapping.
export interface ProgressTarget {
  write: (text: string) => void;
  /** Terminal width. */
  columns?: number;
}

export class ProgressBar {
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly target: ProgressTarget,
    private readonly label = 'runs',
    private readonly now: () => number = Date.now,
    private readonly delayMs: number = 1000,
  ) {
    this.started = now();
  }

  update(done: number, total: number): void {
    const t = this.now();
    const elapsed = t - this.started;
    if (elapsed < this.delayMs || t - this.lastDraw < 100 || total <= 0) return;
    this.lastDraw = t;
    const left = done > 0 ? ((total - done) * elapsed) / done : NaN;
    const eta = Number.isFinite(left) ? `${clock(left)} left` : 'estimating';
    const text = `${done}/${total} ${this.label} · ${clock(elapsed)} · ${eta}`;
    const width = Math.max(10, Math.min(40, (this.target.columns ?? 80) - text.length - 4));
    const filled = Math.round((width * done) / total);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
    this.target.write(`\r\u001b[2K${bar.slice(0, (this.target.columns ?? 80) - 1)}`);
    this.drawn = true;
  }

  /** Erases the bar, if one was drawn. */
  clear(): void {
    if (this.drawn) this.target.write('\r\u001b[2K');
    this.drawn = false;
  }
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
