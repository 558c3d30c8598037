// Gas of the InferenceRegistry through the SDK on the in-process Hardhat network, with the real
// generated verifier and real proofs of a matvec model: registerModel, submitInference (the
// verification plus the record), the verifier's verifyProof alone (so the record's own share
// shows), submitInferences for a batch against verifyProofs of the same proofs alone, and where
// the record's gas goes (the registry's own opcodes, traced).
import { network } from "hardhat";
import { bytesToHex, encodeFunctionData, type Hex } from "viem";
import { matvec, sizedMatvec } from "../../prover/circuits/index.js";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import { prove, setup, srsSizeFor, verificationKeyDigest } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { createClient, zkinferVerifierAbi } from "../../sdk/index.js";
import { intrinsicGas } from "./chain.js";
import { outerFrameGas } from "./gas-trace.js";
import type { BenchRow } from "./report.js";

export const REGISTRY_BATCH = 8;

export async function benchRegistryGas(opts: { logRows: number; log: (s: string) => void }): Promise<BenchRow[]> {
  const { viem } = await network.create();
  const publicClient = await viem.getPublicClient();
  const [walletClient] = await viem.getWalletClients();
  const base = createClient({ publicClient, walletClient });

  const params = sizedMatvec(opts.logRows, { P: 1, seed: "registry-gas" });
  const srs = await devSrs(srsSizeFor(opts.logRows));
  const { table } = matvec.build({ ...params });
  const publicInputLayout = matvec.publicInputLayout({ ...params });
  const pk = await setup(table, srs, { publicInputLayout });
  const proofs: { proof: Hex; publicInputs: bigint[] }[] = [];
  for (let i = 0; i < REGISTRY_BATCH + 1; i++) {
    // Distinct inputs, so each proof is a distinct statement (the first word tells them apart).
    const input = Array.from({ length: params.k * params.P }, (_, j) => BigInt(j === 0 ? i - 4 : ((i + j) % 7) - 3));
    const { witness } = matvec.build({ ...params }, input);
    const { proof, publicInputs } = await prove(pk, witness);
    proofs.push({ proof: bytesToHex(proof), publicInputs });
  }

  const generated = generateVerifier(pk.vk, { publicInputLayout });
  const { bytecode } = compileVerifier(generated.source, generated.contractName);
  const verifier = await base.deployVerifier({ bytecode });
  const registry = await base.deployRegistry();
  const client = base.withRegistry(registry.address);
  // The registry reads the layout (inputs, then outputs) from the verifier.
  const registered = await client.registerModel({ vkDigest: bytesToHex(verificationKeyDigest(pk.vk)), verifier: verifier.address });

  const estimate = (data: Hex) => publicClient.estimateGas({ account: walletClient.account, to: verifier.address, data });
  const batchProofs = proofs.slice(1);
  const verifyOnly = await estimate(encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProof", args: [proofs[0].proof, proofs[0].publicInputs] }));
  const verifyBatchOnly = await estimate(
    encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProofs", args: [batchProofs.map((p) => p.proof), batchProofs.map((p) => p.publicInputs)] }),
  );
  const single = await client.submitInference({ modelId: registered.modelId, proof: proofs[0] });
  const batch = await client.submitInferences({ modelId: registered.modelId, proofs: batchProofs });
  const n = BigInt(REGISTRY_BATCH);
  const perRecord = (batch.gasUsed - verifyBatchOnly) / n;

  // The registry's own opcodes in the single submission: the record, the pin check and the call.
  const traced = await outerFrameGas(publicClient, single.hash);
  const tx = await publicClient.getTransaction({ hash: single.hash });
  const ell = pk.vk.publicInputCount;
  opts.log(
    `registry 2^${opts.logRows} (matvec ${params.m}×${params.k}, ${ell} public inputs): registerModel ${registered.gasUsed} gas, ` +
      `submitInference ${single.gasUsed} gas (verifyProof alone ${verifyOnly}, record ${single.gasUsed - verifyOnly}), ` +
      `submitInferences×${REGISTRY_BATCH} ${batch.gasUsed} gas (verifyProofs×${REGISTRY_BATCH} alone ${verifyBatchOnly}, ${verifyBatchOnly / n} per proof; record ${perRecord} per proof)\n` +
      `  submitInference: intrinsic ${intrinsicGas(tx.input)}, inside the verifier ${traced.callees}, registry opcodes: ` +
      traced.ops
        .slice(0, 8)
        .map((g) => `${g.name} ${g.gas} (${g.count})`)
        .join(", "),
  );
  return [
    {
      suite: "registry-gas",
      name: `submitInference matvec ${params.m}×${params.k}, ${ell} public inputs`,
      size: 2 ** opts.logRows,
      ms: 0,
      extra: {
        publicInputs: ell,
        registerModelGas: Number(registered.gasUsed),
        submitGas: Number(single.gasUsed),
        verifyProofTxGas: Number(verifyOnly),
        recordGas: Number(single.gasUsed - verifyOnly),
        [`submitBatch${REGISTRY_BATCH}Gas`]: Number(batch.gasUsed),
        [`submitBatch${REGISTRY_BATCH}PerProofGas`]: Number(batch.gasUsed / n),
        [`verifyProofs${REGISTRY_BATCH}TxGas`]: Number(verifyBatchOnly),
        [`batch${REGISTRY_BATCH}RecordPerProofGas`]: Number(perRecord),
        ...Object.fromEntries(traced.ops.slice(0, 4).map((g) => [`record: ${g.name}`, g.gas])),
        registryDeployGas: Number(registry.gasUsed),
      },
    },
  ];
}
