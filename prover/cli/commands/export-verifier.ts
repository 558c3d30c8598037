// zkinfer export-verifier <dir> --out <Verifier.sol>: renders the Solidity verifier of a model
// directory's verification key (vk.bin). Exit 2 if the directory or its key is missing or malformed.
import { CodegenError, generateVerifier } from "../../codegen/index.js";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";
import { hex, loadVerificationKey, requireDir, writeFileAtomic } from "../model-dir.js";

export const exportVerifierCommand: Command = {
  path: ["export-verifier"],
  summary: "generate the Solidity verifier of a model directory's verification key",
  args: "<dir>",
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: "string", valueName: "<Verifier.sol>", description: "where to write the contract source" },
    name: { type: "string", valueName: "<ContractName>", description: "the contract's name (default ZkinferVerifier)" },
  },
  description:
    "Reads <dir>/vk.bin (made by `zkinfer setup`) and writes one self-contained Solidity file with the key built in:\n" +
    "verifyProof(bytes proof, uint256[] publicInputs) and verifyProofs(bytes[] proofs, uint256[][] publicInputs)\n" +
    "(docs/protocol.md, \"On-chain verifier\"). A key made with --dev-srs gives a contract marked INSECURE_DEV_SRS.",
  async run({ positionals, values, warn }) {
    const dir = positionals[0];
    const out = values.out as string | undefined;
    const name = values.name as string | undefined;
    if (out === undefined) throw new UsageError("export-verifier needs --out <Verifier.sol>");
    await requireDir(dir, " (run `zkinfer setup <dir> …` to create it)");
    const { vk, digest } = await loadVerificationKey(dir);
    let generated;
    try {
      generated = generateVerifier(vk, { contractName: name });
    } catch (err) {
      if (err instanceof CodegenError) throw new InputError(err.message, { cause: err });
      throw err;
    }
    if (vk.insecure) warn("this verification key was made with --dev-srs: the exported verifier is INSECURE (anyone can forge proofs); development only");
    await writeFileAtomic(out, generated.source);
    const result = {
      dir,
      out,
      contractName: generated.contractName,
      digest: hex(digest),
      insecure: vk.insecure,
      logRows: vk.logRows,
      publicInputs: vk.publicInputCount,
      bytes: Buffer.byteLength(generated.source),
    };
    return {
      exitCode: EXIT.ok,
      json: result,
      text: `wrote ${out}: contract ${generated.contractName} for key ${result.digest} (2^${vk.logRows} rows, ${vk.publicInputCount} public inputs)${vk.insecure ? ", INSECURE dev SRS" : ""}`,
    };
  },
};
