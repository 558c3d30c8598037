// The EXAMPLES section of each command's --help, keyed by the command's words ("srs check"), and
// the groups and typical flow of `zkinfer --help`. A command's own `examples` win over these.
// Every line is a real command line: test/prover/cli/help.test.ts parses each against its
// command's options. A trailing "# …" is a comment.
// SPDX-License-Identifier: GPL-3.0-or-later

export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  compile: [
    "zkinfer compile mnist.onnx --out model --calibration input.json",
    "zkinfer compile mnist.onnx --out model --target resources --input-visibility private   # smaller circuit, input kept secret",
  ],
  info: ["zkinfer info model", "zkinfer info model --json   # rows per block and node, tables, scales, estimated prove time"],
  setup: [
    "zkinfer setup model --srs powersOfTau28_hez_final_16.ptau",
    "zkinfer setup model --dev-srs   # INSECURE local SRS, development only",
    "zkinfer setup toy --dev-srs --circuit matvec --param m=4 --param k=8   # a built-in circuit, no ONNX needed",
  ],
  "check-key": ["zkinfer check-key model", "zkinfer check-key model --json   # exit 1 if the key's parts do not fit together"],
  prove: [
    "zkinfer prove model --input input.json --out proof.json",
    "zkinfer prove model --input input.json --out proof.json --json --quiet   # result only, for scripts",
  ],
  verify: ["zkinfer verify model proof.json", "zkinfer verify model proof.json --json   # exit 0 valid, 1 invalid"],
  "export-verifier": [
    "zkinfer export-verifier model --out Verifier.sol",
    "zkinfer export-verifier model --out contracts/MnistVerifier.sol --name MnistVerifier",
  ],
  "check-circuit": [
    "zkinfer check-circuit model --srs powersOfTau28_hez_final_16.ptau",
    "zkinfer check-circuit downloads/public-circuit.bin --srs powersOfTau28_hez_final_16.ptau --json   # exit 1 on a mismatch",
  ],
  "srs check": [
    "zkinfer srs check powersOfTau28_hez_final_16.ptau",
    "zkinfer srs check ceremony.ptau --json   # exit 1 if a point fails a check",
  ],
  audit: [
    "zkinfer audit --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3",
    "zkinfer audit --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --artifacts model   # outputs as numbers",
    "zkinfer audit --rpc https://rpc.example.org --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --from-block 1200000 --json",
    "zkinfer audit --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --check model",
    "zkinfer audit --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --check model --srs powersOfTau28_hez_final_16.ptau",
    "zkinfer audit --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --check model --owner 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  ],
  explorer: [
    "zkinfer explorer --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --open",
    "zkinfer explorer --rpc http://127.0.0.1:8545 --registry 0x5FbDB2315678afecb367f032d93F642f64180aa3 --artifacts model --port 8080",
  ],
  serve: [
    "zkinfer serve --artifacts model   # one machine: private redis-server, one in-process worker, http://127.0.0.1:8080",
    "zkinfer serve --artifacts model --redis redis://10.0.0.5:6379 --workers 0 --api-keys keys.txt --host 0.0.0.0   # API node of a cluster",
  ],
  worker: ["zkinfer worker --redis redis://10.0.0.5:6379 --artifacts model   # on each proving machine"],
  "keys new": ["zkinfer keys new   # prints the key for the client and the line for --api-keys"],
};

/** The groups of `zkinfer --help`, in order; a command in none of them is listed under "Other commands". */
export const GROUPS: readonly { title: string; commands: readonly string[] }[] = [
  { title: "Models and keys (model owner)", commands: ["compile", "info", "setup", "check-key", "export-verifier"] },
  { title: "Proofs", commands: ["prove", "verify"] },
  { title: "Proving service", commands: ["serve", "worker", "keys new"] },
  { title: "Audit and trusted setup", commands: ["audit", "explorer", "check-circuit", "srs check"] },
];

/** The "typical flow" block of `zkinfer --help`. */
export const TYPICAL_FLOW: readonly string[] = [
  "zkinfer compile mnist.onnx --out model --calibration input.json",
  "zkinfer setup model --srs powersOfTau28_hez_final_16.ptau   # or --dev-srs (insecure, development only)",
  "zkinfer prove model --input input.json --out proof.json",
  "zkinfer verify model proof.json",
  "zkinfer export-verifier model --out Verifier.sol   # deploy it, then submit proofs with the SDK",
];
