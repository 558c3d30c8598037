// examples/contracts/InferenceBounties.sol, the Solidity consumer example: it pays only when the
// registry holds a record for (model, input hash, outputs) made through the pinned verifier code,
// on a real model, real proofs and the generated verifier (in-process Hardhat network).
import { expect } from "chai";
import { rm } from "node:fs/promises";
import { network } from "hardhat";
import { encodeAbiParameters, getAddress, keccak256, type Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { PROOF_BYTES } from "../../verifier/plonkish/index.js";
import { createClient, hashWords, inferenceRegistryAbi, inputHashOf, recordWords, type PublicInputLayout, type ZkinferClient } from "../../sdk/index.js";
import { deployModel } from "../../sdk/hardhat/deployModel.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { expectRejection } from "../helpers/assert.js";
import { acceptAllArgs, makeMatvecModel, type MatvecModel } from "../sdk/matvec-model.js";

const connection = await network.create();
const { viem } = connection;
let model: MatvecModel;
let artifacts: ModelArtifacts;

before(async () => {
  model = await makeMatvecModel([
    [1, 2, 3, 4],
    [-5, 6, -7, 8],
  ]);
  artifacts = await loadModelArtifacts(model.dir);
});

/** What a consumer is asked about a proof: its input hash and its outputs, at the model's registry layout. */
function inferenceHashes(layout: PublicInputLayout, publicInputs: readonly bigint[]): { inputHash: Hex; outputs: bigint[] } {
  return { inputHash: inputHashOf(layout, publicInputs), outputs: publicInputs.slice(layout.outputOffset, layout.outputOffset + layout.outputCount) };
}

after(async () => {
  await releaseEngine();
  if (model) await rm(model.tmp, { recursive: true, force: true });
});

describe("examples/contracts/InferenceBounties.sol: a contract that pays on a proven inference", () => {
  it("pays the record's submitter only for the proven outputs, once, after the claim window, and never for a record of another verifier code", async () => {
    const publicClient = await viem.getPublicClient();
    const [ownerWallet, proverWallet, sponsorWallet] = await viem.getWalletClients();
    const base = createClient({ publicClient, walletClient: ownerWallet });
    const owner: ZkinferClient = base.withRegistry((await base.deployRegistry()).address);
    const { modelId } = await deployModel(owner, { model: artifacts });
    const prover = createClient({ publicClient, walletClient: proverWallet, registry: owner.registry });
    const bounties = await viem.deployContract("InferenceBounties", [owner.registry!, modelId, compileModelVerifier(artifacts).codeHash]);
    const asSponsor = { client: { wallet: sponsorWallet } } as const;
    const sponsored = await viem.getContractAt("InferenceBounties", bounties.address, asSponsor);

    const [proof, other] = model.proofs.map((p) => ({ file: p, ...inferenceHashes(artifacts.layout, p.publicInputs.map(BigInt)) }));
    const amount = 10n ** 18n;
    await sponsored.write.post([proof.inputHash], { value: amount });

    const { recordId } = await prover.submitInference({ modelId, proof: proof.file, nonce: 1n });
    const words = recordWords(await prover.getRecord({ recordId }));
    // Words of a record that was never made (another nonce) pay nothing.
    await expectRejection(bounties.write.settle([{ ...words, nonce: 2n }, proof.outputs]), /NotProven/);
    // Outputs the record does not prove (off by one) are refused, with the record's output hash or
    // theirs; so is another submitter named as the record's, and an input without a bounty.
    const offByOne = [proof.outputs[0] + 1n, ...proof.outputs.slice(1)];
    await expectRejection(bounties.write.settle([words, offByOne]), /NotProven/);
    await expectRejection(bounties.write.settle([{ ...words, outputHash: hashWords(offByOne) }, offByOne]), /NotProven/);
    await expectRejection(bounties.write.settle([{ ...words, submitter: sponsorWallet.account.address }, proof.outputs]), /NotProven/);
    await expectRejection(bounties.write.settle([{ ...words, inputHash: other.inputHash }, proof.outputs]), /NoBounty/);

    // The claim opens a window in which only an earlier record could displace it (the same
    // record cannot claim twice); then the record's submitter is paid, once.
    await publicClient.waitForTransactionReceipt({ hash: await bounties.write.settle([words, proof.outputs]) });
    await expectRejection(bounties.write.settle([words, proof.outputs]), /NotFirst/);
    await expectRejection(bounties.write.pay([proof.inputHash]), /ClaimOpen/);
    await connection.provider.request({ method: "evm_increaseTime", params: [Number(await bounties.read.CLAIM_WINDOW()) + 1] });
    await expectRejection(bounties.write.settle([words, proof.outputs]), /ClaimClosed/);
    const before = await publicClient.getBalance({ address: proverWallet.account.address });
    await publicClient.waitForTransactionReceipt({ hash: await bounties.write.pay([proof.inputHash]) });
    expect((await publicClient.getBalance({ address: proverWallet.account.address })) - before).to.equal(amount);
    const [left, settledBy, answerHash, paidTo, , , paid] = await bounties.read.bounties([proof.inputHash]);
    expect({ left, settledBy, answerHash, paidTo, paid }).to.deep.equal({
      left: 0n,
      settledBy: recordId,
      answerHash: keccak256(encodeAbiParameters([{ type: "uint256[]" }], [proof.outputs])),
      paidTo: getAddress(proverWallet.account.address),
      paid: true,
    });
    await expectRejection(bounties.write.settle([words, proof.outputs]), /AlreadySettled/);
    await expectRejection(bounties.write.pay([proof.inputHash]), /AlreadySettled/);

    // The owner points the model at a verifier that accepts anything (straight through the
    // registry: the SDK would refuse it) and records made-up outputs for the other input.
    await sponsored.write.post([other.inputHash], { value: amount });
    const [vkDigest, count, layoutDigest, ranges] = acceptAllArgs(artifacts);
    const acceptAll = await viem.deployContract("AcceptAllVerifier", [vkDigest, count, layoutDigest, ranges]);
    await publicClient.waitForTransactionReceipt({
      hash: await ownerWallet.writeContract({ address: owner.registry!, abi: inferenceRegistryAbi, functionName: "setVerifier", args: [modelId, acceptAll.address], account: ownerWallet.account, chain: ownerWallet.chain }),
    });
    await publicClient.waitForTransactionReceipt({ hash: await ownerWallet.sendTransaction({ to: ownerWallet.account.address, account: ownerWallet.account, chain: ownerWallet.chain }) }); // the version takes effect next block
    const madeUp = other.file.publicInputs.map((x, i) => (i >= artifacts.layout.outputOffset ? "7" : x));
    const made = await prover.submitInference({ modelId, proof: { proof: `0x${"00".repeat(PROOF_BYTES)}`, publicInputs: madeUp } });
    const forged = inferenceHashes(artifacts.layout, madeUp.map(BigInt));
    expect(forged.inputHash).to.equal(other.inputHash);
    // Its record names the accept-all code, which the bounty does not pin; named as checked by the
    // pinned code, it is not a record of the registry.
    const forgedWords = recordWords(await prover.getRecord({ recordId: made.recordId }));
    await expectRejection(bounties.write.settle([forgedWords, forged.outputs]), /NotProven/);
    await expectRejection(bounties.write.settle([{ ...forgedWords, codeHash: compileModelVerifier(artifacts).codeHash }, forged.outputs]), /NotProven/);
    // Nor can the honest record of the first input be passed off for the other input.
    await expectRejection(bounties.write.settle([{ ...words, inputHash: other.inputHash }, proof.outputs]), /NotProven/);
  });
});
