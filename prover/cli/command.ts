// The shape of a `zkinfer` command. Each command lives in its own file under commands/ and is
// listed in commands/index.ts; main.ts parses the command line, adds --json and --help to every
// command, runs it, and prints its result as text or as JSON.
import type { ParseArgsOptionDescriptor } from "node:util";
import type { EXIT, ExitCode } from "./errors.js";
import type { Stage } from "./progress.js";

export type { Stage } from "./progress.js";

export interface OptionSpec extends ParseArgsOptionDescriptor {
  /** One line for --help. */
  description: string;
  /** Placeholder for the value in --help (string options), e.g. "<dir>". */
  valueName?: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  positionals: string[];
  values: OptionValues;
  /** Whether --json was given (the result is printed as JSON by main). */
  json: boolean;
  /** Prints a warning on stderr, whatever the output mode and even with --quiet (e.g. "insecure dev SRS"). */
  warn(message: string): void;
  /** Prints "note: …" on stderr: something worth knowing that is not the result; --quiet hides it. */
  note(message: string): void;
  /** Prints a progress line on stderr, whatever the output mode (stdout stays the result); --quiet hides it. */
  progress(message: string): void;
  /**
   * Prints a line of the result now, before the command returns: for a command that runs until it
   * is stopped, whose result (explorer's URL) is needed while it runs. On stdout, even with --quiet;
   * with --json, stdout holds only the JSON result, so the line goes to stderr (also with --quiet).
   */
  result(line: string): void;
  /**
   * Starts a named stage of a step that may take more than a second: `update(fraction, message?)`
   * as it goes, then `done()`. On a terminal it is a live line with a bar and the elapsed time; on
   * a pipe, throttled plain lines; always on stderr, hidden by --quiet. A stage left running when
   * the command returns or throws is ended by main.
   */
  stage(name: string): Stage;
}

export interface CommandResult {
  /** 0 ok, 1 check failed; bad usage and bad input are thrown as UsageError / InputError. */
  exitCode: Exclude<ExitCode, typeof EXIT.badInput | typeof EXIT.internal>;
  /** Machine-readable result for --json (bigints are printed as decimal strings). */
  json: unknown;
  /** Human-readable result. */
  text: string;
}

export interface Command {
  /** Words that name the command, e.g. ["srs", "check"]. */
  path: string[];
  summary: string;
  /** Positional arguments for --help, e.g. "<file.ptau>". */
  args: string;
  /** Number of positional arguments accepted. */
  positionals: { min: number; max: number };
  options?: Record<string, OptionSpec>;
  /** More text for --help. */
  description?: string;
  /** Command lines for the EXAMPLES of --help (default: the ones examples.ts keeps for this path). */
  examples?: string[];
  run(ctx: CommandContext): Promise<CommandResult>;
}
