// zkinfer check-circuit <dir-or-file> --srs <file.ptau>: checks that a verification key encodes the
// circuit its public circuit file shows (docs/protocol.md §3.12). Exit 0 if every check passes, 1
// on a mismatch, 2 on missing or malformed files.
import type { Command } from "../command.js";
import { checkCircuitFiles, circuitCheckLines } from "../circuit-check.js";
import { EXIT, UsageError } from "../errors.js";

export const checkCircuitCommand: Command = {
  path: ["check-circuit"],
  summary: "check that a model's vk.bin encodes the circuit its public-circuit.bin shows",
  args: "<dir | public-circuit.bin>",
  positionals: { min: 1, max: 1 },
  options: {
    srs: { type: "string", valueName: "<file.ptau>", description: "the Powers of Tau file the key was made on (its [τ]₂ must be the key's)" },
  },
  description:
    "Reads the public circuit file (<dir>/public-circuit.bin, written by `zkinfer setup`; it holds the fixed columns and\n" +
    "the public-input layout, never the weights) and the vk.bin beside it, and checks: the table size and public-input\n" +
    "count; that the key's gates are this zkinfer's; the public-input layout's digest; the structural rules setup\n" +
    "checks (public-input rows, weight rows, σ a permutation, Freivalds selectors and indices, lookup ids); and the 19\n" +
    "fixed commitments, recomputed from the columns with the SRS. Only [C]₁, the weights' commitment, is not checked.\n" +
    "A key made with --dev-srs cannot be checked: its SRS's τ was random and discarded.\n" +
    "Exit 0 if every check passes, 1 on a mismatch, 2 if a file is missing or malformed.",
  async run({ positionals, values }) {
    const srs = values.srs as string | undefined;
    if (srs === undefined || srs === "") throw new UsageError("check-circuit needs --srs <file.ptau>: the Powers of Tau file the key was made on");
    const check = await checkCircuitFiles(positionals[0], srs);
    return { exitCode: check.ok ? EXIT.ok : EXIT.checkFailed, json: check, text: circuitCheckLines(check).join("\n") };
  },
};
