// The npm scripts' command lines (`npm run conformance`, `npm run bench`): --help prints the
// script's usage and exits 0, and a bad option (an unknown one, with the closest known one, or a
// missing value) is one line and exit 2, as in the zkinfer CLI, never a parseArgs stack trace.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseArgsMessage } from "../prover/cli/help.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseScriptArgs<O extends Options, P extends boolean = false>(
  script: string,
  usage: string,
  config: { options: O; allowPositionals?: P },
  args: string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<{ options: O; allowPositionals: P; args: string[] }>> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(usage.endsWith("\n") ? usage : `${usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, allowPositionals: (config.allowPositionals ?? false) as P, args });
  } catch (err) {
    const message = parseArgsMessage(err, Object.keys(config.options));
    if (message === undefined) throw err;
    process.stderr.write(`${script}: ${message}\nrun \`${script} -- --help\` for its options\n`);
    process.exit(2);
  }
}
