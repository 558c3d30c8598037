// Entry point of the `zkinfer` command line: finds the command named by the leading words,
// parses its options with node:util parseArgs (every command also gets --json, --quiet and
// --help), runs it and maps the outcome to an exit code: 0 ok, 1 check failed, 2 bad usage or bad
// input, 3 an unexpected error (a bug; ZKINFER_DEBUG=1 prints its stack). Progress and warnings go
// to stderr, the result (text or JSON) to stdout.
// SPDX-License-Identifier: GPL-3.0-or-later
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { ownKernels, releaseEngine, useEngineBuilder, useSingleThreadedEngine } from "../../verifier/engine/bn254.js";
import { buildPrebuiltBn128 } from "../engine/prebuilt-bn128.js";
import type { Command, OptionSpec } from "./command.js";
import { commands as registeredCommands } from "./commands/index.js";
import { CliError, EXIT, UsageError } from "./errors.js";
import { commandHelp, groupHelp, parseArgsMessage, suggestCommand, usageHint } from "./help.js";
import { ProgressReporter } from "./progress.js";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (live progress lines); default false: plain, throttled lines. */
  stderrIsTTY?: boolean;
  /** The terminal's width, for the live progress line. */
  columns?: number;
  /** Print the stack of unexpected errors (ZKINFER_DEBUG=1). */
  debug?: boolean;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true && process.env.TERM !== "dumb",
  columns: process.stderr.columns,
  debug: /^(1|true|yes)$/i.test(process.env.ZKINFER_DEBUG ?? ""),
};

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print the result (or the error) as JSON on stdout" },
  quiet: { type: "boolean", short: "q", description: "no progress or notes on stderr, only warnings and errors (stdout is the same)" },
  help: { type: "boolean", short: "h", description: "show help for this command" },
};

/** File-system failures that escaped a command: the path given is the problem, not zkinfer. */
const FILE_ERRORS = new Set(["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EEXIST", "ENOSPC", "EROFS", "ENAMETOOLONG", "ELOOP", "EMFILE"]);

function isFileError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string" && FILE_ERRORS.has((err as NodeJS.ErrnoException).code!);
}

/** Runs one command line (without the node and script arguments) and returns its exit code. */
export async function main(argv: string[], io: Io = processIo, commands: Command[] = registeredCommands): Promise<number> {
  const json = argv.includes("--json");
  const wantsHelp = argv.includes("--help") || argv.includes("-h") || argv[0] === "help";
  let name = "zkinfer";
  let reporter: ProgressReporter | undefined;
  try {
    const helpWord = argv[0] === "help" ? 1 : 0;
    const words = leadingWords(argv.slice(helpWord));
    const command = findCommand(commands, words);
    if (!command) {
      const prefix = longestGroup(commands, words);
      if (words.length > prefix.length) {
        const unknown = [...prefix, words[prefix.length]].join(" ");
        const suggestion = suggestCommand(commands, words);
        const hint = suggestion ? ` (did you mean \`zkinfer ${suggestion}\`?)` : "";
        throw new UsageError(`unknown command "${unknown}"${hint}; run \`zkinfer --help\` for the list of commands`);
      }
      if (wantsHelp) {
        io.stdout(groupHelp(commands, prefix));
        return EXIT.ok;
      }
      throw new UsageError(`${prefix.length ? `"${prefix.join(" ")}" needs a command` : "missing command"}\n\n${groupHelp(commands, prefix)}`);
    }
    name = `zkinfer ${command.path.join(" ")}`;
    const specs = { ...command.options, ...COMMON_OPTIONS };
    const rest = argv.slice(helpWord + command.path.length);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: parseArgsConfig(specs), allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(`${parseArgsMessage(err, Object.keys(specs)) ?? (err as Error).message}\n${usageHint(command)}`, { cause: err });
    }
    if (parsed.values.help || helpWord) {
      io.stdout(commandHelp(command, specs));
      return EXIT.ok;
    }
    const { min, max } = command.positionals;
    const got = parsed.positionals.length;
    if (got < min || got > max) {
      const expected = max === 0 ? "no arguments" : `${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"} (${command.args})`;
      const extra = got > max ? `: unexpected ${parsed.positionals.slice(max).map((p) => `"${p}"`).join(" ")}` : "";
      throw new UsageError(`expected ${expected}, got ${got}${extra}\n${usageHint(command)}`);
    }
    const progress = new ProgressReporter(io.stderr, { tty: io.stderrIsTTY ?? false, columns: io.columns, quiet: parsed.values.quiet === true });
    reporter = progress;
    const result = await command.run({
      positionals: parsed.positionals,
      values: parsed.values,
      json,
      warn: (message) => progress.always(`warning: ${message}`),
      note: (message) => progress.message(`note: ${message}`),
      progress: (message) => progress.message(message),
      result: (line) => (json ? progress.always(line) : io.stdout(`${line}\n`)),
      stage: (stageName) => progress.stage(stageName),
    });
    progress.finish(true);
    io.stdout(json ? toJson({ command: command.path.join(" "), exitCode: result.exitCode, result: result.json }) : `${result.text}\n`);
    return result.exitCode;
  } catch (err) {
    reporter?.finish(false);
    const known = err instanceof CliError;
    const fileError = !known && isFileError(err);
    const exitCode = known ? err.exitCode : fileError ? EXIT.badInput : EXIT.internal;
    const message = err instanceof Error ? err.message : String(err);
    if (json) {
      const type = known ? err.name : fileError ? "InputError" : "InternalError";
      const command = name === "zkinfer" ? null : name.replace(/^zkinfer /, "");
      io.stdout(toJson({ command, exitCode, error: { type, message: message.split("\n")[0] } }));
    }
    if (known) io.stderr(`${name}: ${message}\n`);
    else if (fileError) io.stderr(`${name}: ${message}\ncheck the path and its permissions, then run the command again\n`);
    else {
      const detail = io.debug && err instanceof Error && err.stack ? err.stack : message;
      const how = io.debug ? "" : " (set ZKINFER_DEBUG=1 to print the stack trace)";
      io.stderr(`${name}: internal error: ${detail}\nthis is a bug in zkinfer: please report it with the command line you ran${how}\n`);
    }
    return exitCode;
  }
}

/** For bin/zkinfer.js: runs process.argv, sets the exit code and stops the engine's worker threads. */
export async function cli(): Promise<void> {
  // The engine from its prebuilt module: ~0.4 s less CPU at start-up (see prebuilt-bn128.ts);
  // without threads of its own when our kernels do the MSMs and FFTs (no work would go to them).
  useEngineBuilder(buildPrebuiltBn128);
  let kernelsOwn: boolean;
  try {
    kernelsOwn = ownKernels();
  } catch (err) {
    process.stderr.write(`zkinfer: ${(err as Error).message}\n`);
    process.exitCode = EXIT.badInput;
    return;
  }
  if (kernelsOwn) useSingleThreadedEngine();
  try {
    process.exitCode = await main(process.argv.slice(2));
  } finally {
    await releaseEngine();
  }
}

function leadingWords(argv: string[]): string[] {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  return words;
}

function findCommand(commands: Command[], words: string[]): Command | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => words[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best;
}

/** The longest prefix of `words` that starts some command's path. */
function longestGroup(commands: Command[], words: string[]): string[] {
  let n = 0;
  while (n < words.length && commands.some((c) => c.path.length > n && words.slice(0, n + 1).every((w, i) => c.path[i] === w))) n++;
  return words.slice(0, n);
}

function parseArgsConfig(specs: Record<string, OptionSpec>): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [key, { description: _d, valueName: _v, ...descriptor }] of Object.entries(specs)) config[key] = descriptor;
  return config;
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}
