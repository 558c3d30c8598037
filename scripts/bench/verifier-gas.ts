// The generated Solidity verifier on the in-process Hardhat network: deployment gas, verifyProof
// gas (whole transaction, and execution alone without the 21,000 base and calldata), verifyProofs
// gas for a batch of 8, and runtime bytecode size, for matvec circuits of very different sizes; and
// where one verifyProof's gas goes: calldata by part, and execution by precompile and opcode group
// from an opcode trace (docs/proposals/verifier-gas.md §1).
import { network } from "hardhat";
import { encodeFunctionData, toHex, type Abi, type Hex } from "viem";
import { matvec, sizedMatvec } from "../../prover/circuits/index.js";
import { compileVerifier, generateVerifier } from "../../prover/codegen/index.js";
import { prove, setup, srsSizeFor, verifyBatch } from "../../prover/plonkish/index.js";
import { devSrs } from "../../prover/srs/index.js";
import { calldataGas, intrinsicGas } from "./chain.js";
import { gasBreakdown } from "./gas-trace.js";
import type { BenchRow } from "./report.js";

export const BATCH = 8;

export interface VerifierGasCase {
  logRows: number;
  /** Input vectors per proof (more public inputs). */
  P?: number;
}

export async function benchVerifierGas(opts: { cases: readonly VerifierGasCase[]; log: (s: string) => void }): Promise<BenchRow[]> {
  const { viem } = await network.create();
  const [wallet] = await viem.getWalletClients();
  const client = await viem.getPublicClient();
  const rows: BenchRow[] = [];
  const srs = await devSrs(srsSizeFor(Math.max(...opts.cases.map((c) => c.logRows))));
  for (const c of opts.cases) {
    const params = sizedMatvec(c.logRows, { P: c.P ?? 1, seed: "verifier-gas" });
    const input = Array.from({ length: params.k * params.P }, (_, i) => BigInt((i % 7) - 3));
    const { table, witness } = matvec.build({ ...params }, input);
    const pk = await setup(table, srs);
    const items: { proof: Uint8Array; publicInputs: bigint[] }[] = [];
    for (let i = 0; i < BATCH; i++) items.push(await prove(pk, witness));
    if (!(await verifyBatch(pk.vk, items))) throw new Error(`benchmark proofs at 2^${c.logRows} do not verify`);

    const generated = generateVerifier(pk.vk);
    const compiled = compileVerifier(generated.source, generated.contractName);
    const hash = await wallet.deployContract({ abi: compiled.abi as Abi, bytecode: compiled.bytecode });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const address = receipt.contractAddress;
    if (!address) throw new Error("verifier deployment created no contract");

    const gasOf = async (data: Hex): Promise<{ tx: number; execution: number }> => {
      const ok = await client.call({ to: address, data });
      if (BigInt(ok.data ?? "0x0") !== 1n) throw new Error(`the deployed verifier rejects the benchmark proofs at 2^${c.logRows}`);
      const tx = Number(await client.estimateGas({ to: address, data }));
      return { tx, execution: tx - intrinsicGas(data) };
    };
    const singleData = encodeFunctionData({ abi: compiled.abi as Abi, functionName: "verifyProof", args: [toHex(items[0].proof), items[0].publicInputs] });
    const single = await gasOf(singleData);
    // Calldata: selector, two heads and the proof's length; the proof padded to words; the inputs' length and words.
    const proofEnd = 4 + 96 + Math.ceil(items[0].proof.length / 32) * 32;
    const calldata = { proof: calldataGas(singleData, 100, proofEnd), publicInputs: calldataGas(singleData, proofEnd + 32), abi: calldataGas(singleData, 0, 100) + calldataGas(singleData, proofEnd, proofEnd + 32) };
    const breakdown = await gasBreakdown(client, address, singleData);
    const batch = await gasOf(
      encodeFunctionData({ abi: compiled.abi as Abi, functionName: "verifyProofs", args: [items.map((i) => toHex(i.proof)), items.map((i) => i.publicInputs)] }),
    );
    const ell = pk.vk.publicInputCount;
    rows.push({
      suite: "verifier-gas",
      name: `verify matvec ${params.m}×${params.k}, ${ell} public inputs`,
      size: 2 ** c.logRows,
      ms: 0,
      extra: {
        publicInputs: ell,
        deployGas: Number(receipt.gasUsed),
        runtimeBytes: compiled.deployedSize,
        verifyTxGas: single.tx,
        verifyExecGas: single.execution,
        [`batch${BATCH}TxGas`]: batch.tx,
        [`batch${BATCH}ExecGas`]: batch.execution,
        [`batch${BATCH}SavedGas`]: BATCH * single.tx - batch.tx,
        calldataProofGas: calldata.proof,
        calldataPublicInputsGas: calldata.publicInputs,
        calldataAbiGas: calldata.abi,
        ...Object.fromEntries(breakdown.groups.map((g) => [`exec: ${g.name}`, g.gas])),
      },
    });
    opts.log(
      `verifier 2^${c.logRows} (matvec ${params.m}×${params.k}, ${ell} public inputs): ${compiled.deployedSize} runtime bytes, deploy ${receipt.gasUsed} gas, ` +
        `verifyProof ${single.tx} gas (execution ${single.execution}), verifyProofs×${BATCH} ${batch.tx} gas (execution ${batch.execution}; ` +
        `${BATCH}× single − batch = ${BATCH * single.tx - batch.tx})`,
    );
    opts.log(
      `  verifyProof: calldata ${calldata.proof} proof, ${calldata.publicInputs} public inputs, ${calldata.abi} selector and ABI words; traced execution ${breakdown.total} = ` +
        breakdown.groups.map((g) => `${g.name} ${g.gas} (${g.count}×)`).join(", "),
    );
  }
  return rows;
}
