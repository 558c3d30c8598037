// `npm run bench`: runs the benchmark suites and writes bench/results.json and bench/results.md.
// Options: --quick (smaller sizes, for a smoke run), --out <dir> (default bench/).
import { parseArgs } from "node:util";
import os from "node:os";
import { getEngine, releaseEngine } from "../prover/engine/bn254.js";
import { benchCore } from "./bench/core.js";
import { benchProofSystem } from "./bench/proof-system.js";
import { benchRegistryGas } from "./bench/registry-gas.js";
import { benchVerifierGas } from "./bench/verifier-gas.js";
import { writeResults, type BenchRow } from "./bench/report.js";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, out: { type: "string", default: "bench" } } });

const log = (s: string): void => console.log(s);
const curve = await getEngine();
try {
  const rows: BenchRow[] = [];
  rows.push(...(await benchCore(curve, { maxMsmLog: values.quick ? 14 : 18, maxFftLog: values.quick ? 14 : 20, log })));
  rows.push(...(await benchProofSystem({ logSizes: values.quick ? [12, 14] : [12, 14, 16, 18], log })));
  rows.push(...(await benchVerifierGas({ cases: values.quick ? [{ logRows: 10 }, { logRows: 12, P: 4 }] : [{ logRows: 10 }, { logRows: 14 }, { logRows: 12, P: 8 }], log })));
  rows.push(...(await benchRegistryGas({ logRows: 10, log })));
  await writeResults(values.out, rows, {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
    mode: values.quick ? "quick" : "full",
  });
  log(`wrote ${values.out}/results.json and ${values.out}/results.md`);
} finally {
  await releaseEngine();
}
