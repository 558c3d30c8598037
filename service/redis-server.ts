// The embedded default of `zkinfer serve`: a private redis-server on a free loopback port, with no
// persistence (its data lives as long as the service), stopped when the service stops.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServiceSetupError } from "./errors.js";

export const REDIS_INSTALL_HINT = "install it with `apt-get install -y redis-server` (Debian/Ubuntu), or pass --redis <url> to use a running Redis 7";

export interface PrivateRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A TCP port that is free on 127.0.0.1 now (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Whether `redis-server` runs from PATH (or `binary`). */
export function hasRedisServer(binary = "redis-server"): boolean {
  const probe = spawnSync(binary, ["--version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
}

/** Starts redis-server on a free loopback port and resolves once it accepts connections. */
export async function startPrivateRedis(options: { binary?: string; timeoutMs?: number } = {}): Promise<PrivateRedis> {
  const binary = options.binary ?? "redis-server";
  if (!hasRedisServer(binary)) throw new ServiceSetupError(`redis-server was not found; ${REDIS_INSTALL_HINT}`);
  const dir = await mkdtemp(join(tmpdir(), "zkinfer-redis-"));
  // A port can be taken between the probe and redis-server's bind: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freeLoopbackPort();
    const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "yes"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ready = await waitReady(child, options.timeoutMs ?? 15_000);
    if (ready === true) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    if (attempt >= 2) {
      await rm(dir, { recursive: true, force: true });
      throw new ServiceSetupError(`redis-server did not start: ${ready}`);
    }
  }
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<true | string> {
  return new Promise((resolve) => {
    let log = "";
    const done = (value: true | string) => {
      clearTimeout(timer);
      child.stdout?.removeAllListeners("data");
      child.removeAllListeners("exit");
      // Keep draining its output so the server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      resolve(value);
    };
    const timer = setTimeout(() => done(`no "ready" line after ${timeoutMs} ms; its output:\n${log}`), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (/ready to accept connections/i.test(log)) done(true);
    });
    child.once("error", (err) => done(err.message));
    child.once("exit", (code) => done(`it exited with code ${code}:\n${log}`));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
