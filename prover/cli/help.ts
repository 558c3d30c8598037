// The help texts of the zkinfer command line: `zkinfer --help` (commands by group, typical flow),
// `zkinfer <group> --help`, each command's --help (usage, description, options, examples), the
// usage line errors end with, and the "did you mean" of an unknown command.
// SPDX-License-Identifier: GPL-3.0-or-later
import type { Command, OptionSpec } from "./command.js";
import { EXAMPLES, GROUPS, TYPICAL_FLOW } from "./examples.js";

export const EXIT_CODES_LINE = "Exit codes: 0 ok, 1 proof invalid or check failed, 2 bad usage or bad input, 3 internal error (a bug).";

const pathOf = (c: Command): string => c.path.join(" ");

/** The command's own examples, else the ones examples.ts keeps for its path. */
export function examplesOf(command: Command): readonly string[] {
  return command.examples ?? EXAMPLES[pathOf(command)] ?? [];
}

function table(rows: string[][], width = Math.max(0, ...rows.map((r) => r[0].length)), indent = "  "): string[] {
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

/** Help for the commands under `prefix` (all of them when it is empty). */
export function groupHelp(commands: Command[], prefix: string[]): string {
  const matching = commands.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const row = (c: Command) => [`zkinfer ${pathOf(c)} ${c.args}`.trimEnd(), c.summary];
  // One column width across the groups.
  const width = Math.max(0, ...matching.map((c) => row(c)[0].length));
  const lines = [`Usage: zkinfer ${prefix.length ? `${prefix.join(" ")} ` : ""}<command> [options]`, ""];
  if (prefix.length === 0) {
    lines.push("Prove neural-network inferences with zero-knowledge proofs and check them on-chain.", "");
    const listed = new Set<Command>();
    for (const group of GROUPS) {
      const members = group.commands.map((p) => matching.find((c) => pathOf(c) === p)).filter((c): c is Command => c !== undefined);
      if (members.length === 0) continue;
      members.forEach((c) => listed.add(c));
      lines.push(`${group.title}:`, ...table(members.map(row), width), "");
    }
    const others = matching.filter((c) => !listed.has(c));
    if (others.length) lines.push("Other commands:", ...table(others.map(row), width), "");
    lines.push("Typical flow:", ...TYPICAL_FLOW.map((l) => `  ${l}`), "");
  } else {
    lines.push("Commands:", ...table(matching.map(row)), "");
  }
  lines.push(
    "Every command takes --json (the result as JSON on stdout), --quiet (stderr keeps only warnings and errors) and --help.",
    "Run `zkinfer <command> --help` for its options and examples.",
    EXIT_CODES_LINE,
    "",
  );
  return lines.join("\n");
}

/** "Usage: zkinfer prove <dir> [options]". */
export function usageLine(command: Command): string {
  return `Usage: zkinfer ${pathOf(command)} ${command.args} [options]`.replace(/ {2,}/g, " ");
}

/** What a usage error ends with: the usage and where to read more. */
export function usageHint(command: Command): string {
  return `${usageLine(command)}\nSee \`zkinfer ${pathOf(command)} --help\` for its options and examples.`;
}

export function commandHelp(command: Command, specs: Record<string, OptionSpec>): string {
  const rows = Object.entries(specs).map(([key, s]) => [`${s.short ? `-${s.short}, ` : "    "}--${key}${s.type === "string" ? ` ${s.valueName ?? "<value>"}` : ""}`, s.description]);
  const examples = examplesOf(command);
  return [
    usageLine(command),
    "",
    command.summary,
    ...(command.description ? ["", command.description] : []),
    "",
    "Options:",
    ...table(rows),
    ...(examples.length ? ["", "Examples:", ...examples.map((e) => `  ${e}`)] : []),
    "",
    EXIT_CODES_LINE,
    "",
  ].join("\n");
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("setpu" → "setup" is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The command path closest to what was typed (`words`, the unknown word last, plus any words
 * after it), or undefined when nothing is close: a small edit distance, or a prefix of the name.
 */
export function suggestCommand(commands: Command[], words: string[]): string | undefined {
  let best: { path: string; score: number } | undefined;
  for (const c of commands) {
    const path = pathOf(c);
    // Compare with as many typed words as the path has ("srs chek x.ptau" against "srs check"),
    // and with the words run together ("srs-check" against "srs check").
    const typed = words.slice(0, c.path.length).join(" ");
    const score = Math.min(editDistance(typed, path), editDistance(words.join(" ").replace(/[-_]/g, " "), path), editDistance(words[0] ?? "", path));
    const close = score <= Math.max(1, Math.floor(path.length / 3)) || (typed.length >= 3 && path.startsWith(typed));
    if (close && (!best || score < best.score)) best = { path, score };
  }
  return best?.path;
}

/** The option (`--name`) closest to an unknown one, or undefined when none is close ("--outt" → "--out"). */
export function suggestOption(unknown: string, names: readonly string[]): string | undefined {
  const typed = unknown.replace(/^-+/, "").split("=")[0];
  let best: { name: string; score: number } | undefined;
  for (const name of names) {
    const score = editDistance(typed, name);
    if (score <= Math.max(1, Math.floor(name.length / 3)) && (!best || score < best.score)) best = { name, score };
  }
  return best && `--${best.name}`;
}

/**
 * A node:util parseArgs error in words, with the closest option for an unknown one; undefined for
 * any other error.
 */
export function parseArgsMessage(err: unknown, names: readonly string[]): string | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return undefined;
  const message = (err as Error).message;
  if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") return message;
  const unknown = /'(-[^']*)'/.exec(message)?.[1] ?? "";
  const suggestion = suggestOption(unknown, names);
  return `unknown option ${unknown}${suggestion ? ` (did you mean ${suggestion}?)` : ""}`;
}
