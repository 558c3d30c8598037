// Progress of the zkinfer commands, always on stderr (stdout holds only the result, text or JSON).
// A command names each slow step as a stage and reports a fraction or a message as it goes. On a
// terminal the active stage is one line redrawn in place (spinner, bar and percentage when a
// fraction is known, elapsed time); a finished stage leaves "✓ name (1.2 s)". Elsewhere (CI logs,
// pipes) every line is plain text without escape codes, and a stage's updates are throttled so a
// long run does not flood the log. --quiet silences progress but never warnings.
// SPDX-License-Identifier: GPL-3.0-or-later

export interface ProgressOptions {
  /** Whether stderr is a terminal: draw the active stage in place; otherwise print plain lines. */
  tty: boolean;
  /** Print no progress at all (warnings still print). */
  quiet?: boolean;
  /** Terminal width; the in-place line is cut to fit so that it never wraps (default 80). */
  columns?: number;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
  /** Least time between two printed updates of one stage on a non-terminal, in ms (default 2000). */
  throttleMs?: number;
  /** How often the in-place line is redrawn to move the spinner and the clock, in ms; 0 never (default 100). */
  tickMs?: number;
}

/** One slow step of a command, from `reporter.stage(name)` (or `ctx.stage(name)`) to `done()`. */
export interface Stage {
  /**
   * Reports how far the stage is: a fraction in [0, 1] with an optional message ("quotient"), or
   * only a message. Cheap to call often: a terminal redraws at most every tick and plain output
   * is throttled.
   */
  update(progress: number | string, message?: string): void;
  /** Ends the stage with "✓ name (elapsed)"; `note` is added after the name. Later calls do nothing. */
  done(note?: string): void;
}

const ERASE_LINE = "\r\x1b[2K";
const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const BAR_WIDTH = 20;

/** "0.4 s", "12.3 s", "2 min 05 s". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}

function percent(fraction: number): string {
  return `${Math.floor(fraction * 100)}%`;
}

/** "~12.0 s left" from the pace so far, once it says something (5% done and a second gone). */
function timeLeft(fraction: number | undefined, elapsedMs: number): string | undefined {
  if (fraction === undefined || fraction < 0.05 || fraction >= 1 || elapsedMs < 1000) return undefined;
  return `~${formatElapsed((elapsedMs * (1 - fraction)) / fraction)} left`;
}

interface ActiveStage {
  name: string;
  started: number;
  fraction?: number;
  message?: string;
  /** Non-terminal: when the last line of this stage was printed. */
  printedAt: number;
}

export class ProgressReporter {
  private readonly tty: boolean;
  private readonly quiet: boolean;
  private readonly columns: number;
  private readonly now: () => number;
  private readonly throttleMs: number;
  private readonly tickMs: number;
  private active?: ActiveStage;
  /** Terminal: whether the in-place line is on screen (the cursor is at its end). */
  private drawn = false;
  /** Terminal: when the in-place line was last drawn. */
  private drawnAt = 0;
  private frame = 0;
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly write: (text: string) => void,
    options: ProgressOptions,
  ) {
    this.tty = options.tty;
    this.quiet = options.quiet ?? false;
    this.columns = Math.max(20, options.columns || 80); // 0 when the terminal does not say
    this.now = options.now ?? (() => performance.now());
    this.throttleMs = options.throttleMs ?? 2000;
    this.tickMs = options.tickMs ?? 100;
  }

  /** A one-off progress line (what `ctx.progress(message)` prints). */
  message(text: string): void {
    if (!this.quiet) this.line(text);
  }

  /** A line that is not progress, e.g. a warning: printed even with --quiet, above the active stage. */
  always(text: string): void {
    this.line(text);
  }

  /** Starts a stage; a stage still running is finished first. */
  stage(name: string): Stage {
    if (this.quiet) return { update: () => undefined, done: () => undefined };
    this.finish(true);
    const stage: ActiveStage = { name, started: this.now(), printedAt: this.now() };
    this.active = stage;
    if (this.tty) {
      this.draw();
      if (this.tickMs > 0) {
        this.timer = setInterval(() => this.draw(), this.tickMs);
        this.timer.unref?.();
      }
    } else {
      this.write(`${name} …\n`);
    }
    return {
      update: (progress, message) => {
        if (this.active !== stage) return;
        if (typeof progress === "number") {
          stage.fraction = Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 0));
          if (message !== undefined) stage.message = message;
        } else {
          stage.message = progress;
        }
        if (this.tty) {
          // The timer redraws, but only when the event loop is free: work that keeps it busy between
          // updates (keygen, proving) would never show them, so a tick's worth later redraw now.
          if (!this.timer || this.now() - this.drawnAt >= this.tickMs) this.draw();
        } else {
          if (this.now() - stage.printedAt >= this.throttleMs) this.printUpdate(stage);
        }
      },
      done: (note) => {
        if (this.active === stage) this.end(note === undefined ? "" : ` ${note}`, "✓");
      },
    };
  }

  /**
   * Ends the active stage, if any: as done when `ok`, else with "✗ name failed after …" (the
   * command is about to print its error). main calls it after every command.
   */
  finish(ok: boolean): void {
    if (!this.active) return;
    if (ok) this.end("", "✓");
    else this.end(" failed after", "✗");
  }

  private end(suffix: string, mark: string): void {
    const stage = this.active!;
    this.active = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const elapsed = formatElapsed(this.now() - stage.started);
    const text = mark === "✓" ? `✓ ${stage.name}${suffix} (${elapsed})` : `✗ ${stage.name}${suffix} ${elapsed}`;
    this.line(text);
  }

  private line(text: string): void {
    if (this.tty && this.drawn) {
      this.write(`${ERASE_LINE}${text}\n`);
      this.drawn = false;
      if (this.active) this.draw();
    } else {
      this.write(`${text}\n`);
    }
  }

  private printUpdate(stage: ActiveStage): void {
    const parts = [`${stage.name}:`];
    if (stage.fraction !== undefined) parts.push(percent(stage.fraction));
    if (stage.message !== undefined) parts.push(stage.message);
    const elapsed = this.now() - stage.started;
    const left = timeLeft(stage.fraction, elapsed);
    parts.push(`(${formatElapsed(elapsed)}${left ? `, ${left}` : ""})`);
    this.write(`${parts.join(" ")}\n`);
    stage.printedAt = this.now();
  }

  private draw(): void {
    const stage = this.active;
    if (!stage) return;
    const parts = [`${SPINNER[this.frame++ % SPINNER.length]} ${stage.name}`];
    if (stage.fraction !== undefined) {
      const filled = Math.round(stage.fraction * BAR_WIDTH);
      parts.push(`${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)} ${percent(stage.fraction).padStart(4)}`);
    }
    if (stage.message !== undefined) parts.push(stage.message);
    const elapsed = this.now() - stage.started;
    parts.push(formatElapsed(elapsed));
    const left = timeLeft(stage.fraction, elapsed);
    if (left) parts.push(left);
    let text = parts.join("  ");
    // One column short of the width: a full line would wrap on some terminals and break the redraw.
    if (text.length > this.columns - 1) text = `${text.slice(0, this.columns - 2)}…`;
    this.write(`${ERASE_LINE}${text}`);
    this.drawn = true;
    this.drawnAt = this.now();
  }
}
