// `zkinfer serve` / `zkinfer worker` as child processes, for the service's test and benchmark: each in its own
// process group (so a private redis-server started by serve goes with it), killed when the parent
// process exits, and their stderr kept so a test can wait for a line.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/zkinfer.js", import.meta.url));

// Without the HARDHAT_* variables of a test runner, which would point children at its config.
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HARDHAT_")));

export interface ZkProcess {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr (rejects if the process exits first or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Sends `signal` to the process group (no-op once it exited). */
  signal(signal: NodeJS.Signals): void;
}

export function startZkinfer(args: string[], env: NodeJS.ProcessEnv = {}): ZkProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...childEnv, ...env }, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, sig) => resolve(code ?? sig ?? -1)));
  const signal = (sig: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const killOnExit = () => signal("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));
  return {
    child,
    stderr: () => stderr,
    exited,
    signal,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(stderr);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} in the output of zkinfer ${args[0]} after ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`zkinfer ${args[0]} exited before printing ${pattern}:\n${stderr}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.removeListener("exit", onExit);
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
        if (listeners.has(check) && (child.exitCode !== null || child.signalCode !== null)) onExit();
      });
    },
  };
}
