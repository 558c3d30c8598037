// Entry point of the `zkinfer` command line: finds the command named by the leading words,
// parses its options with node:util parseArgs (every command also gets --json and --help), runs
// it and maps the outcome to an exit code: 0 ok, 1 check failed, 2 bad usage or bad input.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { releaseEngine } from "../engine/bn254.js";
import type { Command, OptionSpec } from "./command.js";
import { commands as registeredCommands } from "./commands/index.js";
import { CliError, EXIT, UsageError } from "./errors.js";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print the result (or the error) as JSON on stdout" },
  help: { type: "boolean", short: "h", description: "show help for this command" },
};

/** Runs one command line (without the node and script arguments) and returns its exit code. */
export async function main(argv: string[], io: Io = processIo, commands: Command[] = registeredCommands): Promise<number> {
  const json = argv.includes("--json");
  const wantsHelp = argv.includes("--help") || argv.includes("-h") || argv[0] === "help";
  let name = "zkinfer";
  try {
    const helpWord = argv[0] === "help" ? 1 : 0;
    const words = leadingWords(argv.slice(helpWord));
    const command = findCommand(commands, words);
    if (!command) {
      const prefix = longestGroup(commands, words);
      if (wantsHelp) {
        io.stdout(groupHelp(commands, prefix));
        return EXIT.ok;
      }
      const what = words.length > prefix.length ? `unknown command "${[...prefix, words[prefix.length]].join(" ")}"` : "missing command";
      throw new UsageError(`${what}\n\n${groupHelp(commands, prefix)}`);
    }
    name = `zkinfer ${command.path.join(" ")}`;
    const specs = { ...command.options, ...COMMON_OPTIONS };
    const rest = argv.slice(helpWord + command.path.length);
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: parseArgsConfig(specs), allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${usageLine(command)}`, { cause: err });
    }
    if (parsed.values.help || helpWord) {
      io.stdout(commandHelp(command, specs));
      return EXIT.ok;
    }
    const { min, max } = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      const got = parsed.positionals.length;
      throw new UsageError(`expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${got}\n${usageLine(command)}`);
    }
    const result = await command.run({
      positionals: parsed.positionals,
      values: parsed.values,
      json,
      warn: (message) => io.stderr(`warning: ${message}\n`),
      progress: (message) => io.stderr(`${message}\n`),
    });
    io.stdout(json ? toJson({ command: command.path.join(" "), exitCode: result.exitCode, result: result.json }) : `${result.text}\n`);
    return result.exitCode;
  } catch (err) {
    const known = err instanceof CliError;
    const exitCode = known ? err.exitCode : EXIT.badInput;
    const message = err instanceof Error ? err.message : String(err);
    if (json) {
      const type = known ? err.name : "InternalError";
      const command = name === "zkinfer" ? null : name.replace(/^zkinfer /, "");
      io.stdout(toJson({ command, exitCode, error: { type, message: message.split("\n")[0] } }));
    }
    // Unexpected errors are bugs: keep their stack.
    io.stderr(known ? `${name}: ${message}\n` : `${name}: internal error: ${(err as Error)?.stack ?? message}\n`);
    return exitCode;
  }
}

/** For bin/zkinfer.js: runs process.argv, sets the exit code and stops the engine's worker threads. */
export async function cli(): Promise<void> {
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

function groupHelp(commands: Command[], prefix: string[]): string {
  const matching = commands.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const rows = matching.map((c) => [`zkinfer ${c.path.join(" ")} ${c.args}`.trimEnd(), c.summary]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `Usage: zkinfer ${prefix.length ? prefix.join(" ") + " " : ""}<command> [options]`,
    "",
    "Commands:",
    ...rows.map(([usage, summary]) => `  ${usage.padEnd(width)}  ${summary}`),
    "",
    "Every command takes --json and --help. Exit codes: 0 ok, 1 check failed, 2 bad usage or input.",
    "",
  ].join("\n");
}

function usageLine(command: Command): string {
  return `Usage: zkinfer ${command.path.join(" ")} ${command.args} [options]`.replace(/ {2,}/g, " ") + " (--help for more)";
}

function commandHelp(command: Command, specs: Record<string, OptionSpec>): string {
  const rows = Object.entries(specs).map(([key, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : "    "}--${key}${s.type === "string" ? ` ${s.valueName ?? "<value>"}` : ""}`;
    return [flag, s.description];
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `Usage: zkinfer ${command.path.join(" ")} ${command.args} [options]`.replace(/ {2,}/g, " "),
    "",
    command.summary,
    ...(command.description ? ["", command.description] : []),
    "",
    "Options:",
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    "",
  ].join("\n");
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}
