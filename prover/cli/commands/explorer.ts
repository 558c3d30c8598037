// zkinfer explorer --rpc <url> --registry <addr> [--port 5173] [--artifacts <dir>…] [--open]:
// serves the audit explorer (explorer/, built by Vite into dist/explorer) on loopback. The page
// reads the chain itself, from the browser, through zkinfer/sdk; the server only hands it its
// settings (config.json) and, for "Verify in this browser", the public key files of the model
// directories given (artifacts/<vkDigest>/vk.bin and layout.json), which the page checks against
// the digests the registry holds before it uses them. It runs until SIGINT or SIGTERM.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";
import { address, required } from "../chain-args.js";

// dist/explorer from a source checkout (prover/cli/commands/) and from the built package (dist/prover/cli/commands/).
const APP_DIRS = ["../../../dist/explorer/", "../../../explorer/"].map((p) => fileURLToPath(new URL(p, import.meta.url)));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
};

function appDir(): string {
  const dir = APP_DIRS.find((d) => existsSync(join(d, "index.html")));
  if (!dir) throw new InputError(`the explorer app is not built (no ${join(APP_DIRS[0], "index.html")}): run \`npm run build\``);
  return dir;
}

/** The public key files of each model directory, by the key's digest. */
async function loadKeyFiles(dirs: string[]): Promise<Map<string, Map<string, Uint8Array>>> {
  const files = new Map<string, Map<string, Uint8Array>>();
  if (dirs.length === 0) return files;
  const [{ loadModelArtifacts }, { ZkinferError }] = await Promise.all([import("../../../sdk/hardhat/model-artifacts.js"), import("../../../sdk/index.js")]);
  for (const dir of dirs) {
    try {
      const artifacts = await loadModelArtifacts(resolve(dir));
      files.set(
        artifacts.vkDigest.toLowerCase(),
        new Map([
          ["vk.bin", await readFile(join(resolve(dir), "vk.bin"))],
          ["layout.json", new TextEncoder().encode(JSON.stringify(artifacts.publicInputLayout))],
        ]),
      );
    } catch (err) {
      if (err instanceof ZkinferError) throw new InputError(`--artifacts ${dir}: ${err.message}`, { cause: err });
      throw err;
    }
  }
  return files;
}

/** The chain id the RPC answers now, or undefined when it cannot be reached (the page then says so). */
async function chainIdOf(rpc: string): Promise<number | undefined> {
  const { createPublicClient, http } = await import("viem");
  try {
    return await createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: 5000 }) }).getChainId();
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(body);
}

function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(opener, [url], { stdio: "ignore", detached: true });
  child.on("error", () => process.stderr.write(`zkinfer: could not start ${opener}; open ${url} yourself\n`));
  child.unref();
}

export const explorerCommand: Command = {
  path: ["explorer"],
  summary: "serve the audit explorer: a web page that reads an inference registry and re-verifies its records in the browser",
  args: "",
  positionals: { min: 0, max: 0 },
  options: {
    rpc: { type: "string", valueName: "<url>", description: "the chain's JSON-RPC URL, as the browser will reach it" },
    registry: { type: "string", valueName: "<address>", description: "the InferenceRegistry contract" },
    port: { type: "string", valueName: "<port>", description: "the port to listen on (default 5173; 0 picks a free one)" },
    host: { type: "string", valueName: "<host>", description: "the address to listen on (default 127.0.0.1)" },
    "chain-id": { type: "string", valueName: "<id>", description: "the chain the registry is on (default: the one the RPC answers at start)" },
    artifacts: { type: "string", multiple: true, valueName: "<dir>", description: "a model directory whose public keys the page may use to verify (repeatable)" },
    open: { type: "boolean", description: "open the page in the default browser" },
  },
  description:
    "A static single-page app (built with Vite into dist/explorer): models with their versions, pinned code hashes and\n" +
    "dev-SRS warnings; the records of a model with filters, paging, a chart and live updates; one record with\n" +
    "\"Verify in this browser\", which takes the proof from the submitting transaction's calldata, checks it with the\n" +
    "off-chain verifier in the browser, and compares the verifier's code hash with the one the registry pinned.\n" +
    "The browser talks to --rpc directly (the node must allow cross-origin requests, as `npx hardhat node` does).\n" +
    "The page's settings can also be given in its URL (?rpc=…&registry=…&chainId=…), so dist/explorer can be hosted\n" +
    "on any static host. Runs until interrupted.",
  async run({ values, warn, result }) {
    const rpc = required(values.rpc, "--rpc", "the chain's JSON-RPC URL");
    try {
      new URL(rpc);
    } catch {
      throw new UsageError(`--rpc must be a URL, got "${rpc}"`);
    }
    const registry = await address(required(values.registry, "--registry", "the InferenceRegistry address"), "--registry");
    const port = Number(values.port ?? 5173);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${String(values.port)}"`);
    const host = (values.host as string | undefined) ?? "127.0.0.1";
    const chainIdFlag = values["chain-id"] as string | undefined;
    if (chainIdFlag !== undefined && !/^[1-9][0-9]*$/.test(chainIdFlag)) throw new UsageError(`--chain-id must be a chain id, got "${chainIdFlag}"`);
    const root = appDir();
    const keyFiles = await loadKeyFiles(((values.artifacts as string[] | undefined) ?? []).map(String));
    const chainId = chainIdFlag === undefined ? await chainIdOf(rpc) : Number(chainIdFlag);
    if (chainId === undefined) warn(`${rpc} does not answer now; the page will say so until it does`);
    const config = JSON.stringify({ rpc, registry, ...(chainId === undefined ? {} : { chainId }), keys: [...keyFiles.keys()] });

    // Imported here: loading node:http loads its fetch machinery too (undici), which every other command would pay for at start-up.
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      void (async () => {
        const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "method not allowed");
        if (path === "/config.json") return send(res, 200, TYPES[".json"], config);
        const key = /^\/artifacts\/(0x[0-9a-f]{64})\/(vk\.bin|layout\.json)$/.exec(path.toLowerCase());
        if (key) {
          const file = keyFiles.get(key[1])?.get(key[2]);
          return file ? send(res, 200, TYPES[extname(key[2])], file) : send(res, 404, "text/plain", "no such key");
        }
        // Static files of the app, never outside its directory.
        const file = normalize(join(root, path === "/" ? "index.html" : path));
        if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return send(res, 403, "text/plain", "forbidden");
        try {
          send(res, 200, TYPES[extname(file)] ?? "application/octet-stream", await readFile(file));
        } catch {
          send(res, 404, "text/plain", "not found");
        }
      })();
    });
    await new Promise<void>((ok, fail) => {
      server.once("error", (err: NodeJS.ErrnoException) => fail(new InputError(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`, { cause: err })));
      server.listen(port, host, ok);
    });
    const bound = (server.address() as { port: number }).port;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}/`;
    result(`explorer: serving ${url} (registry ${registry} on ${rpc}${chainId === undefined ? "" : `, chain ${chainId}`}); Ctrl-C stops it`);
    if (values.open) openBrowser(url);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.removeListener("SIGINT", stop);
        process.removeListener("SIGTERM", stop);
        server.closeAllConnections();
        server.close(() => done());
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return { exitCode: EXIT.ok, json: { url, registry, rpc, chainId }, text: `explorer: stopped (${url})` };
  },
};
