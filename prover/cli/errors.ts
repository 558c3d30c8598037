// Typed CLI failures and the exit codes they map to (0 ok, 1 check failed, 2 bad usage or input;
// 3 is left for errors that are none of these: bugs).

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports with its own exit code and without a stack trace. */
export abstract class CliError extends Error {
  abstract readonly exitCode: typeof EXIT.checkFailed | typeof EXIT.badInput;
}

/** The command line itself is wrong: unknown command or option, missing or extra arguments. */
export class UsageError extends CliError {
  override name = "UsageError";
  readonly exitCode = EXIT.badInput;
}

/** The command line is fine but an input it names is unreadable or malformed. */
export class InputError extends CliError {
  override name = "InputError";
  readonly exitCode = EXIT.badInput;
}

/** A check the command makes failed (a mismatch, an incomplete audit): exit 1. */
export class CheckFailedError extends CliError {
  override name = "CheckFailedError";
  readonly exitCode = EXIT.checkFailed;
}
