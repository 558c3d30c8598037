// Where a registry submission's gas goes beyond verifyProof: traces submitInference (and a batch)
// on the in-process Hardhat chain with the bench's matvec model and sums the registry's own
// opcodes (storage writes and reads, logs, hashes, the verifier call's overhead), apart from the
// gas spent inside the verifier and the transaction's calldata. `npx tsx scripts/registry-gas-breakdown.ts [logRows] [batch]`.
import { network } from "hardhat";
import { bytesToHex, encodeFunctionData, hexToBytes, type Hex } from "viem";
import { matvec, sizedMatvec } from "../prover/circuits/index.js";
import { compileVerifier, generateVerifier } from "../prover/codegen/index.js";
import { prove, setup, srsSizeFor, verificationKeyDigest } from "../prover/plonkish/index.js";
import { devSrs } from "../prover/srs/index.js";
import { createClient, zkinferVerifierAbi } from "../sdk/index.js";

interface Step {
  depth: number;
  op: string;
  gas: number;
  gasCost: number;
}

const calldataGas = (data: Hex): number => hexToBytes(data).reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);

/** The registry frame's gas by opcode (a call's overhead without what its callee used), and the callees' own gas. */
function breakdown(steps: Step[]): { byOp: Map<string, { gas: number; count: number }>; inner: number } {
  const byOp = new Map<string, { gas: number; count: number }>();
  let inner = 0;
  const add = (op: string, gas: number) => {
    const e = byOp.get(op) ?? { gas: 0, count: 0 };
    e.gas += gas;
    e.count += 1;
    byOp.set(op, e);
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.depth !== 1) continue;
    // The next step of this frame: its gas left says what this step cost, callee included.
    let j = i + 1;
    let calleeStart: number | undefined;
    let calleeUsed = 0;
    while (j < steps.length && steps[j].depth !== 1) {
      if (steps[j].depth === 2 && calleeStart === undefined) calleeStart = steps[j].gas;
      j++;
    }
    if (j >= steps.length) {
      add(s.op, s.gasCost);
      continue;
    }
    let cost = s.gas - steps[j].gas;
    if (calleeStart !== undefined) {
      // What the callee used: its start gas minus what it handed back (the last callee step's left-over).
      let k = j - 1;
      while (steps[k].depth !== 2) k--;
      const last = steps[k];
      calleeUsed = calleeStart - (last.gas - last.gasCost);
      inner += calleeUsed;
      cost -= calleeUsed;
    }
    add(s.op, cost);
  }
  return { byOp, inner };
}

const logRows = Number(process.argv[2] ?? 10);
const batchSize = Number(process.argv[3] ?? 8);
const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const [walletClient] = await viem.getWalletClients();
const base = createClient({ publicClient, walletClient });
const params = sizedMatvec(logRows, { P: 1, seed: "registry-gas" });
const srs = await devSrs(srsSizeFor(logRows));
const publicInputLayout = matvec.publicInputLayout({ ...params });
const pk = await setup(matvec.build({ ...params }).table, srs, { publicInputLayout });
const proofs: { proof: Hex; publicInputs: bigint[] }[] = [];
for (let i = 0; i < batchSize + 1; i++) {
  // Distinct inputs, so that each proof is a distinct statement (the first word tells them apart).
  const input = Array.from({ length: params.k * params.P }, (_, j) => BigInt(j === 0 ? i - 4 : ((i + j) % 7) - 3));
  const { proof, publicInputs } = await prove(pk, matvec.build({ ...params }, input).witness);
  proofs.push({ proof: bytesToHex(proof), publicInputs });
}
const generated = generateVerifier(pk.vk, { publicInputLayout });
const verifier = await base.deployVerifier({ bytecode: compileVerifier(generated.source, generated.contractName).bytecode });
const registry = await base.deployRegistry();
const client = base.withRegistry(registry.address);
const { modelId } = await client.registerModel({ vkDigest: bytesToHex(verificationKeyDigest(pk.vk)), verifier: verifier.address });

const verifyData = encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProof", args: [proofs[0].proof, proofs[0].publicInputs] });
const verifyOnly = await publicClient.estimateGas({ account: walletClient.account, to: verifier.address, data: verifyData });
const batchData = encodeFunctionData({ abi: zkinferVerifierAbi, functionName: "verifyProofs", args: [proofs.slice(1).map((p) => p.proof), proofs.slice(1).map((p) => p.publicInputs)] });
const verifyBatch = await publicClient.estimateGas({ account: walletClient.account, to: verifier.address, data: batchData });

async function report(label: string, hash: Hex, verifyGas: bigint, verifyCalldata: Hex, n: number) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const tx = await publicClient.getTransaction({ hash });
  const trace = (await connection.provider.request({ method: "debug_traceTransaction", params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }] })) as { structLogs: Step[] };
  const { byOp, inner } = breakdown(trace.structLogs);
  const intrinsic = 21_000 + calldataGas(tx.input);
  const own = [...byOp.values()].reduce((s, e) => s + e.gas, 0);
  console.log(`\n${label}: ${receipt.gasUsed} gas; ${verifyGas} for the verifier alone (its tx), so ${receipt.gasUsed - verifyGas} more (${(receipt.gasUsed - verifyGas) / BigInt(n)} per record)`);
  console.log(`  intrinsic 21000 + calldata ${calldataGas(tx.input)} (the verifier's tx: ${calldataGas(verifyCalldata)}), inside the verifier ${inner}, the registry's own opcodes ${own}; sum ${intrinsic + inner + own}`);
  const rows = [...byOp.entries()].sort((a, b) => b[1].gas - a[1].gas);
  for (const [op, e] of rows.slice(0, 18)) console.log(`  ${op.padEnd(14)} ${String(e.gas).padStart(7)} gas in ${e.count} steps`);
}
await report("submitInference", (await client.submitInference({ modelId, proof: proofs[0] })).hash, verifyOnly, verifyData, 1);
await report(`submitInferences ×${batchSize}`, (await client.submitInferences({ modelId, proofs: proofs.slice(1) })).hash, verifyBatch, batchData, batchSize);
process.exit(0);
