// Runs the CLI (or anything that writes through an Io, like the demo) in this process with its
// output captured: no subprocess, so the engine starts once per test file.
import { main, type Io } from "../../prover/cli/main.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `run` with an Io that collects stdout and stderr (plus any extra Io fields). */
export async function captured(run: (io: Io) => Promise<number>, extra: Partial<Io> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await run({ stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), ...extra });
  return { code, stdout, stderr };
}

/** `zkinfer …args` in this process. */
export function zk(...args: string[]): Promise<Run> {
  return captured((io) => main(args, io));
}
