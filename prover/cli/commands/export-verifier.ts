// zkinfer export-verifier <dir> --out <Verifier.sol>: renders the Solidity verifier of a model
// directory's verification key (vk.bin) and the public-input layout it binds (vk.json). Exit 2 if
// the directory, its key or its vk.json is missing or malformed.
import { CodegenError, generateVerifier } from "../../codegen/index.js";
import { boundPublicInputLayout, BoundLayoutError } from "../../plonkish/index.js";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";
import { hex, loadVerificationKey, modelPath, readJson, requireDir, writeFileAtomic } from "../model-dir.js";

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
    "Reads <dir>/vk.bin and <dir>/vk.json (made by `zkinfer setup`) and writes one self-contained Solidity file with the\n" +
    "key built in: verifyProof(bytes proof, uint256[] publicInputs) and verifyProofs(bytes[] proofs, uint256[][] publicInputs),\n" +
    "and the public-input layout the key binds (LAYOUT_DIGEST, INPUT_/OUTPUT_OFFSET and _COUNT, which the registry reads)\n" +
    "(docs/protocol.md, \"On-chain verifier\"). A key made with --dev-srs gives a contract marked INSECURE_DEV_SRS.",
  async run({ positionals, values, warn }) {
    const dir = positionals[0];
    const out = values.out as string | undefined;
    const name = values.name as string | undefined;
    if (out === undefined) throw new UsageError("export-verifier needs --out <Verifier.sol>");
    await requireDir(dir, " (run `zkinfer setup <dir> …` to create it)");
    const { vk, digest } = await loadVerificationKey(dir);
    const vkJsonPath = modelPath(dir, "vkJson");
    let generated;
    try {
      const publicInputLayout = boundPublicInputLayout(await readJson(vkJsonPath, "verification key view", " (run `zkinfer setup` again)"), vk, vkJsonPath);
      generated = generateVerifier(vk, { contractName: name, publicInputLayout });
    } catch (err) {
      if (err instanceof CodegenError || err instanceof BoundLayoutError) throw new InputError(err.message, { cause: err });
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
