// `npx hardhat node` as a child process on a free loopback port, for tests against a real
// JSON-RPC node: started in its own process group, and killed with it whatever happens.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const HARDHAT = join(ROOT, "node_modules/hardhat/dist/src/cli.js");

// Without the HARDHAT_* variables of the test runner, which would point children at its config.
export const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HARDHAT_")));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface HardhatNode {
  process: ChildProcess;
  url: string;
  /** Everything the node printed so far. */
  output(): string;
  /** SIGSTOP: the node keeps its sockets, and the kernel queues what is sent to it, but it answers nothing. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** Kills the node's process group (idempotent). */
  stop(): void;
}

/**
 * Collects a child's stdout and stderr and resolves once they contain `marker`, with a function
 * that returns everything printed so far; rejects if the child exits first or after `timeoutMs`.
 */
export async function waitForOutput(child: ChildProcess, marker: string, what: string, timeoutMs: number): Promise<() => string> {
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  });
  return () => output;
}

/** Starts the node and resolves once it listens; it is killed when this process exits. */
export async function startHardhatNode(): Promise<HardhatNode> {
  const port = await freePort();
  const child = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const signal = (sig: NodeJS.Signals): void => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, sig);
  };
  const stop = (): void => {
    try {
      signal("SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", stop);
  child.once("exit", () => process.removeListener("exit", stop));
  const output = await waitForOutput(child, "Started HTTP", "hardhat node", 120_000);
  return {
    process: child,
    url: `http://127.0.0.1:${port}`,
    output,
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    stop,
  };
}
