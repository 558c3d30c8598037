// "Verify in this browser": takes the record's proof from the calldata of the transaction the node
// names, checks that those public inputs are the record's (their digest is in storage), checks the
// proof with the off-chain verifier (the same TypeScript/WebAssembly verifier as `zkinfer verify`)
// against the key whose digest the record's model version holds, and compares the code now at the
// version's verifier address with the code hash the registry pinned.
import { decodeFunctionData, keccak256, type Hex } from "viem";
import { inferenceRegistryAbi, publicInputDigest, verifyOffchain, type InferenceRecord, type ModelVersion } from "../../sdk/index.js";
import { keyFile, type Chain } from "./chain.js";

export type VerifyStatus = "valid" | "invalid" | "code-mismatch" | "no-key" | "error";

export interface VerifyStep {
  label: string;
  ok: boolean;
  detail: string;
}

export interface VerifyOutcome {
  status: VerifyStatus;
  summary: string;
  steps: VerifyStep[];
}

/** The proof and public inputs of `record` in a submitInference or submitInferences call. */
function proofInCalldata(input: Hex, record: InferenceRecord): { proof: Hex; publicInputs: readonly bigint[] } | undefined {
  let call;
  try {
    call = decodeFunctionData({ abi: inferenceRegistryAbi, data: input });
  } catch {
    return undefined;
  }
  const candidates =
    call.functionName === "submitInference"
      ? [{ modelId: call.args[0], proof: call.args[1], publicInputs: call.args[2] }]
      : call.functionName === "submitInferences"
        ? call.args[1].map((proof, i) => ({ modelId: call.args[0], proof, publicInputs: call.args[2][i] }))
        : [];
  return candidates.find((c) => c.modelId.toLowerCase() === record.modelId.toLowerCase() && publicInputDigest(c.publicInputs) === record.publicInputDigest);
}

export async function verifyRecord(chain: Chain, record: InferenceRecord, version: ModelVersion, uploadedKey?: Uint8Array): Promise<VerifyOutcome> {
  const steps: VerifyStep[] = [];
  const tx = await chain.publicClient.getTransaction({ hash: record.transactionHash });
  const found = proofInCalldata(tx.input, record);
  steps.push({
    label: "Proof found in the transaction's calldata",
    ok: found !== undefined,
    detail: found
      ? `${(found.proof.length - 2) / 2} bytes, ${found.publicInputs.length} public inputs whose digest is the record's ${record.publicInputDigest}`
      : `transaction ${record.transactionHash} is not a direct submitInference/submitInferences call holding this record's public inputs (a contract may have submitted it)`,
  });
  if (!found) return { status: "error", summary: "The proof could not be taken from the transaction", steps };

  const key = uploadedKey ?? (await keyFile(chain, version.vkDigest, "vk.bin"));
  if (!key) {
    steps.push({ label: "Verification key", ok: false, detail: `no key with digest ${version.vkDigest} at hand: choose the model's vk.bin below` });
    return { status: "no-key", summary: "The verification key is needed", steps };
  }
  const keyDigest = keccak256(key);
  const keyOk = keyDigest.toLowerCase() === version.vkDigest.toLowerCase();
  steps.push({ label: "Verification key is the version's", ok: keyOk, detail: keyOk ? `digest ${keyDigest}` : `digest ${keyDigest}, the version's is ${version.vkDigest}` });
  if (!keyOk) return { status: "error", summary: "The verification key is not the one the registry names", steps };

  const started = performance.now();
  const valid = await verifyOffchain({ proof: { proof: found.proof, publicInputs: found.publicInputs.map(String) }, vk: key });
  steps.push({ label: "Proof verifies in this browser", ok: valid, detail: `off-chain verifier, ${Math.round(performance.now() - started)} ms` });

  const code = await chain.publicClient.getCode({ address: version.verifier });
  const codeHash = code && code !== "0x" ? keccak256(code) : "no code";
  const codeOk = codeHash.toLowerCase() === version.codeHash.toLowerCase() && record.codeHash.toLowerCase() === version.codeHash.toLowerCase();
  steps.push({
    label: "Verifier code matches the pinned code hash",
    ok: codeOk,
    detail: codeOk ? `${version.verifier}: ${codeHash}` : `${version.verifier} now has code hash ${codeHash}, the registry pinned ${version.codeHash}`,
  });
  if (!valid) return { status: "invalid", summary: "INVALID: the proof does not verify", steps };
  if (!codeOk) return { status: "code-mismatch", summary: "MISMATCH: the verifier's code is not the code the registry pinned", steps };
  return { status: "valid", summary: "VALID: the proof verifies in this browser and the verifier's code is the pinned code", steps };
}
