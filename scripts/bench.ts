// `npm run bench`: runs the benchmark suites and writes bench/results.json and bench/results.md.
// `npm run -s bench -- engine [--json]`: our own kernels against ffjavascript only (MSM and NTT,
// one thread and all; the fixed-base MSM; a prove with the commit key's table and without), printed
// as a table or, with --json, as JSON (scripts/bench/engine.ts); --suites msm,ntt,fixed,prove picks
// sections (fixed-glv: GLV in the fixed-base MSM, timed), --model <dir> --input <json> proves a compiled model directory instead of the built-in
// 2^16-row circuit.
// `npm run -s bench -- service [--model <dir> --input <json>] [--quick] [--json]`: the proving
// service on one machine: per-proof time with the key resident against `zkinfer prove`, and
// throughput and latency with one and two workers (scripts/bench/service.ts).
// Options: --quick (smaller sizes, for a smoke run), --large (also the 2^18 and 2^19 proofs: the
// proof system at 2^18 and the dense 1024→256 layer, ~20 minutes more; and the models suite's three
// scale models, multi-head attention at 2^19 rows and a transposed-convolution generator (2^18 on runs,
// 2^22 compiled with --im2col), each set up, proved and verified with its peak memory: hours on a loaded 2-core machine), --out <dir> (default
// bench/), --suites a,b (default all: core, proof-system, verifier-gas, registry-gas, layers,
// models, peer), --models a,b (the models suite's models by name; see scripts/bench/models.ts),
// --fixtures <dir> (the example models), --side-by-side (the peer suite alone: zkinfer against
// snarkjs Groth16 on the peer's MLP and CNN, alternating, when ../shared/peer/build.sh has built
// them; scripts/bench/peer.ts; --models mlp or cnn picks one). Every time is also given in reference MSMs (2^16 G1 points
// through ffjavascript, timed at the start and the end of the run; the peer suite times its own
// between its proofs).
import os from "node:os";
import { getEngine, releaseEngine } from "../verifier/engine/bn254.js";
import { benchCore, referenceMsm } from "./bench/core.js";
import { benchEngine, ENGINE_SECTIONS, engineTable, type EngineSection } from "./bench/engine.js";
import { benchLayers, layerCases } from "./bench/layers.js";
import { benchModels, modelSources } from "./bench/models.js";
import { benchPeer, PEER_MODELS, type PeerModel } from "./bench/peer.js";
import { benchProofSystem } from "./bench/proof-system.js";
import { benchService, serviceTable } from "./bench/service.js";
import { benchRegistryGas } from "./bench/registry-gas.js";
import { benchVerifierGas } from "./bench/verifier-gas.js";
import { median, writeResults, type BenchRow } from "./bench/report.js";
import { parseScriptArgs } from "./script-args.js";

const SUITES = ["core", "proof-system", "verifier-gas", "registry-gas", "layers", "models", "peer"] as const;

const USAGE = `Usage: npm run -s bench [-- options]             the benchmark suites → bench/results.json, results.md
       npm run -s bench -- engine [--suites msm,ntt,fixed,prove] [--model <dir> --input <json>] [--quick] [--json]
       npm run -s bench -- service [--model <dir> --input <json>] [--quick] [--json]

  --quick                  smaller sizes, for a smoke run
  --large                  also the 2^18, 2^19 and 2^22 proofs (about an hour more)
  --out <dir>              where the results go (default bench/)
  --suites a,b             ${SUITES.join(", ")} (default all)
  --models a,b             the models suite's models by name
  --fixtures <dir>         the example models
  --side-by-side           zkinfer against snarkjs Groth16 on the peer's MLP and CNN (the peer suite alone)
  --json                   print JSON
`;

const { values, positionals } = parseScriptArgs("npm run bench", USAGE, {
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    large: { type: "boolean", default: false },
    out: { type: "string", default: "bench" },
    suites: { type: "string" },
    models: { type: "string" },
    fixtures: { type: "string" },
    model: { type: "string" },
    input: { type: "string" },
    "side-by-side": { type: "boolean", default: false },
  },
});
if (positionals.length === 1 && positionals[0] === "service") {
  // The proving service (scripts/bench/service.ts): --model <dir> --input <json>, --jobs, --rounds.
  if ((values.model === undefined) !== (values.input === undefined)) {
    console.error("--model <dir> and --input <json> go together");
    process.exit(2);
  }
  const model = values.model !== undefined && values.input !== undefined ? { dir: values.model, input: values.input } : undefined;
  const result = await benchService({ model, jobs: values.quick ? 4 : 8, rounds: values.quick ? 2 : 3, log: values.json ? () => undefined : (s) => console.log(s) });
  console.log(values.json ? JSON.stringify(result, null, 2) : `\n${serviceTable(result)}`);
  process.exit(0);
}
if (positionals.length > 0) {
  if (positionals.length > 1 || positionals[0] !== "engine") {
    console.error(`unknown command ${positionals.join(" ")}; they are "engine" and "service"`);
    process.exit(2);
  }
  const sections = values.suites?.split(",").map((x) => x.trim()) ?? [...ENGINE_SECTIONS];
  const badSections = sections.filter((x) => !(ENGINE_SECTIONS as readonly string[]).includes(x));
  if (badSections.length > 0 || (values.model === undefined) !== (values.input === undefined)) {
    console.error(badSections.length > 0 ? `unknown engine section(s) ${badSections.join(", ")}; they are ${ENGINE_SECTIONS.join(", ")}` : "--model <dir> and --input <json> go together");
    process.exit(2);
  }
  const threaded = await getEngine();
  try {
    const results = await benchEngine({
      threaded,
      msmLogs: values.quick ? [12, 14] : undefined,
      nttLogs: values.quick ? [12, 14] : undefined,
      proveLogRows: values.quick ? 12 : undefined,
      model: values.model !== undefined && values.input !== undefined ? { dir: values.model, input: values.input } : undefined,
      sections: sections as EngineSection[],
      log: values.json ? () => undefined : (s) => console.log(s),
    });
    console.log(values.json ? JSON.stringify(results, null, 2) : `\n${engineTable(results)}`);
  } finally {
    await releaseEngine();
  }
  process.exit(0);
}
const list = (s: string | undefined): string[] | undefined => s?.split(",").map((x) => x.trim()).filter((x) => x !== "");
if (values["side-by-side"] && values.suites) {
  console.error("--side-by-side runs the peer suite alone; leave out --suites");
  process.exit(2);
}
const suites = values["side-by-side"] ? ["peer"] : (list(values.suites) ?? [...SUITES]);
const unknown = suites.filter((s) => !(SUITES as readonly string[]).includes(s));
if (unknown.length > 0) {
  console.error(`unknown suite(s) ${unknown.join(", ")}; the suites are ${SUITES.join(", ")}`);
  process.exit(2);
}
const quick = values.quick;
const large = values.large;
if (quick && large) {
  console.error("--quick and --large exclude each other");
  process.exit(2);
}
const runs = (s: (typeof SUITES)[number]): boolean => suites.includes(s);
/** With --side-by-side, --models picks the peer's models. */
function peerModels(names: string[] | undefined): PeerModel[] | undefined {
  const bad = names?.filter((n) => !(PEER_MODELS as readonly string[]).includes(n)) ?? [];
  if (bad.length > 0) {
    console.error(`unknown peer model(s) ${bad.join(", ")}; the peer's models are ${PEER_MODELS.join(", ")}`);
    process.exit(2);
  }
  return names as PeerModel[] | undefined;
}

const log = (s: string): void => console.log(s);
const curve = await getEngine();
try {
  const reference = await referenceMsm(curve);
  const referenceTimes = [await reference()];
  const rows: BenchRow[] = [];
  if (runs("core")) rows.push(...(await benchCore(curve, { maxMsmLog: quick ? 14 : 18, maxFftLog: quick ? 14 : 20, log })));
  if (runs("proof-system")) rows.push(...(await benchProofSystem({ logSizes: quick ? [12, 14] : large ? [12, 14, 16, 18] : [12, 14, 16], log })));
  if (runs("verifier-gas")) {
    rows.push(...(await benchVerifierGas({ cases: quick ? [{ logRows: 10 }, { logRows: 12, P: 4 }] : [{ logRows: 10 }, { logRows: 14 }, { logRows: 12, P: 8 }], log })));
  }
  if (runs("registry-gas")) rows.push(...(await benchRegistryGas({ logRows: 10, log })));
  if (runs("layers")) rows.push(...(await benchLayers({ cases: layerCases(quick ? "quick" : large ? "large" : "full"), log })));
  if (runs("models")) rows.push(...(await benchModels({ sources: await modelSources({ quick, large, only: list(values.models), fixtures: values.fixtures }), log })));
  if (runs("peer")) rows.push(...(await benchPeer(curve, { models: values["side-by-side"] ? peerModels(list(values.models)) : undefined, log })));
  referenceTimes.push(await reference());
  const referenceMs = median(referenceTimes);
  for (const r of rows) if (r.msmUnits === undefined && r.ms > 0) r.msmUnits = Math.round((100 * r.ms) / referenceMs) / 100;
  log(`reference MSM (2^16 G1 through ffjavascript): ${referenceTimes.map((t) => t.toFixed(0)).join(" and ")} ms at the start and the end`);
  await writeResults(values.out, rows, {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown"}`,
    mode: quick ? "quick" : large ? "large" : "full",
    suites: suites.join(", ") + (values.models ? ` (models: ${values.models})` : ""),
    referenceMsm: `2^16 G1 through ffjavascript, ${referenceTimes.map((t) => t.toFixed(0)).join(" and ")} ms at the start and the end (MSM units use ${referenceMs.toFixed(0)} ms)`,
  });
  log(`wrote ${values.out}/results.json and ${values.out}/results.md`);
} finally {
  await releaseEngine();
}
