import { expect } from "chai";
import { rm } from "node:fs/promises";
import { BrowserProvider, HDNodeWallet, Wallet } from "ethers";
import hre, { network } from "hardhat";
import { createPublicClient, createWalletClient, custom, encodeDeployData, http, keccak256, type Hex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import type { ProofFile } from "../../prover/plonkish/index.js";
import {
  AcceptingVerifierError,
  computeRecordId,
  createClient,
  DeprecatedModelError,
  inferenceRegistryAbi,
  inputHashOf,
  InvalidArgumentError,
  InvalidProofError,
  NoSignerError,
  NotAZkinferVerifierError,
  NotModelOwnerError,
  NotPendingOwnerError,
  PublicInputCountError,
  RecordExistsError,
  RpcError,
  TransactionNotSentError,
  UnknownModelError,
  UnknownRecordError,
  VerifierCodeChangedError,
  VerifierKeyMismatchError,
  type InferenceRecord,
  type ZkinferClient,
} from "../../sdk/index.js";
import { createEthersClient } from "../../sdk/ethers/index.js";
import { compileModelVerifier, loadModelArtifacts, type ModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { expectRejection } from "../helpers/assert.js";
import { acceptAllArgs, makeMatvecModel, type MatvecModel } from "./matvec-model.js";

const connection = await network.create();
const { viem } = connection;

let model: MatvecModel;
let artifacts: ModelArtifacts;
let verifierBytecode: Hex;
let verifierCodeHash: Hex;
/** A model with 324 public inputs a proof: a batch of MAX_BATCH (32) of its proofs needs more gas than one transaction may use (2^24). */
let wide: { model: MatvecModel; artifacts: ModelArtifacts; bytecode: Hex };
const MAX_BATCH = 32;
const TRANSACTION_GAS_CAP = 1n << 24n;

before(async () => {
  model = await makeMatvecModel([
    [1, 2, 3, 4],
    [-5, 6, -7, 8],
    [0, 0, 1, -1],
  ]);
  artifacts = await loadModelArtifacts(model.dir);
  ({ bytecode: verifierBytecode, codeHash: verifierCodeHash } = compileModelVerifier(artifacts));
  // 440 outputs: MAX_BATCH of its proofs need more than one transaction's gas (17.93M measured with
  // issue 21's cheaper public-input loops and record count; 360 outputs, about 17.7M before them,
  // then fit).
  const wideModel = await makeMatvecModel([[1, 2, 3, 4]], 440);
  const wideArtifacts = await loadModelArtifacts(wideModel.dir);
  wide = { model: wideModel, artifacts: wideArtifacts, bytecode: compileModelVerifier(wideArtifacts).bytecode };
});

after(async () => {
  await releaseEngine();
  if (model) await rm(model.tmp, { recursive: true, force: true });
  if (wide) await rm(wide.model.tmp, { recursive: true, force: true });
});

const withInput = (proof: ProofFile, i: number, delta: bigint): ProofFile => ({
  ...proof,
  publicInputs: proof.publicInputs.map((x, j) => (j === i ? String(BigInt(x) + delta) : x)),
});

interface Clients {
  owner: ZkinferClient;
  other: ZkinferClient;
  readOnly: ZkinferClient;
  ownerAddress: Hex;
  /** Local accounts the SDK signs for: one of the node's funded accounts, and one without funds. */
  local: ZkinferClient;
  broke: ZkinferClient;
  /** Sends a transaction from the local account without the SDK (another wallet of the same key). */
  sendOutside(): Promise<void>;
}

// Hardhat's default accounts; 5 and 6 sign locally here (one per adapter, so their nonces are apart).
const MNEMONIC = "test test test test test test test test test test test junk";
const UNFUNDED_KEY: Hex = `0x${"2b".repeat(32)}`;

const kinds: Record<string, () => Promise<Clients>> = {
  viem: async () => {
    const publicClient = await viem.getPublicClient();
    const [w0, w1] = await viem.getWalletClients();
    return {
      owner: createClient({ publicClient, walletClient: w0 }),
      other: createClient({ publicClient, walletClient: w1 }),
      readOnly: createClient({ publicClient }),
      ownerAddress: w0.account.address,
      local: createClient({ publicClient, walletClient: createWalletClient({ account: mnemonicToAccount(MNEMONIC, { addressIndex: 5 }), transport: custom(connection.provider) }) }),
      sendOutside: async () => {
        const outside = createWalletClient({ account: mnemonicToAccount(MNEMONIC, { addressIndex: 5 }), transport: custom(connection.provider) });
        await publicClient.waitForTransactionReceipt({ hash: await outside.sendTransaction({ to: outside.account.address, chain: null }) });
      },
      broke: createClient({ publicClient, walletClient: createWalletClient({ account: privateKeyToAccount(UNFUNDED_KEY), transport: custom(connection.provider) }) }),
    };
  },
  ethers: async () => {
    const provider = new BrowserProvider(connection.provider, undefined, { pollingInterval: 20 });
    const [s0, s1] = [await provider.getSigner(0), await provider.getSigner(1)];
    return {
      owner: createEthersClient({ provider, signer: s0 }),
      other: createEthersClient({ provider, signer: s1 }),
      readOnly: createEthersClient({ provider }),
      ownerAddress: (await s0.getAddress()) as Hex,
      local: createEthersClient({ provider, signer: HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/6").connect(provider) }),
      sendOutside: async () => {
        const outside = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/6").connect(provider);
        await (await outside.sendTransaction({ to: outside.address })).wait();
      },
      broke: createEthersClient({ provider, signer: new Wallet(UNFUNDED_KEY, provider) }),
    };
  },
};

for (const [kind, make] of Object.entries(kinds)) {
  describe(`sdk on ${kind}: a real generated verifier and real proofs`, () => {
    let owner: ZkinferClient;
    let other: ZkinferClient;
    let reader: ZkinferClient;
    let local: ZkinferClient;
    let broke: ZkinferClient;
    let sendOutside: () => Promise<void>;
    let ownerAddress: Hex;
    let modelId: Hex;
    let registry: Hex;
    let verifier: Hex;

    before(async () => {
      const c = await make();
      ({ address: registry } = await c.owner.deployRegistry());
      owner = c.owner.withRegistry(registry);
      other = c.other.withRegistry(registry);
      reader = c.readOnly.withRegistry(registry);
      local = c.local.withRegistry(registry);
      broke = c.broke.withRegistry(registry);
      sendOutside = c.sendOutside;
      ownerAddress = c.ownerAddress;
      ({ address: verifier } = await owner.deployVerifier({ bytecode: verifierBytecode }));
      ({ modelId } = await owner.registerModel({ vkDigest: artifacts.vkDigest, verifier, metadataURI: "file://model" }));
    });

    it("registers the model with its digest, verifier and layout", async () => {
      const m = await reader.getModel({ modelId });
      expect(m.vkDigest).to.equal(artifacts.vkDigest);
      expect(m.layout).to.deep.equal({ count: 6, inputOffset: 0, inputCount: 4, outputOffset: 4, outputCount: 2 });
      expect([m.currentVersion, m.versions]).to.deep.equal([m.versions[0], [m.versions[0]]]);
      const v = await reader.getModelVersion({ version: m.currentVersion });
      expect(v).to.deep.include({ modelId, vkDigest: artifacts.vkDigest, insecureDevSrs: true, codeHash: verifierCodeHash, previous: 0 });
      expect(v.verifier.toLowerCase()).to.equal(verifier.toLowerCase());
      expect(m.owner.toLowerCase()).to.equal(ownerAddress.toLowerCase());
      expect((await reader.listModels()).modelIds).to.deep.equal([modelId]);
      await expectRejection(reader.getModel({ modelId: `0x${"11".repeat(32)}` }), /no model 0x1111/).then((e) => expect(e).to.be.instanceOf(UnknownModelError));
    });

    it("refuses a verifier that does not hold the model's key, with typed errors and nothing changed", async () => {
      const wrong = `0x${"5a".repeat(32)}` as Hex;
      const mismatch = await expectRejection(owner.registerModel({ vkDigest: wrong, verifier }), /holds verification key/);
      expect(mismatch).to.be.instanceOf(VerifierKeyMismatchError);
      expect([(mismatch as VerifierKeyMismatchError).expected, (mismatch as VerifierKeyMismatchError).actual]).to.deep.equal([wrong, artifacts.vkDigest]);
      const noCode = await expectRejection(owner.registerModel({ vkDigest: artifacts.vkDigest, verifier: ownerAddress }), /has no code/);
      expect(noCode).to.be.instanceOf(NotAZkinferVerifierError);
      expect((noCode as NotAZkinferVerifierError).hasCode).to.equal(false);
      const notVerifier = await expectRejection(owner.updateModel({ modelId, verifier: registry }), /not a zkinfer verifier/);
      expect(notVerifier).to.be.instanceOf(NotAZkinferVerifierError);
      expect((notVerifier as NotAZkinferVerifierError).hasCode).to.equal(true);
      expect((await reader.listModels()).modelIds).to.deep.equal([modelId]);
      expect((await reader.getModel({ modelId })).versions.length).to.equal(1);
    });

    it("submits a real proof and reads the record back", async () => {
      const proof = model.proofs[0];
      const ref = `0x${"0e".repeat(32)}` as Hex;
      const sent = await owner.submitInference({ modelId, proof, reference: ref, nonce: 1n });
      const publicInputs = proof.publicInputs.map(BigInt);
      expect(sent.recordId).to.equal(computeRecordId({ modelId, publicInputs, submitter: ownerAddress, nonce: 1n }));
      expect(sent.gasUsed > 100_000n).to.equal(true);
      const record = await reader.getRecord({ recordId: sent.recordId });
      expect(record.modelId).to.equal(modelId);
      expect(record.reference).to.equal(ref);
      expect(record.submitter.toLowerCase()).to.equal(ownerAddress.toLowerCase());
      expect(record.blockNumber).to.equal(sent.blockNumber);
      expect(record.outputs).to.deep.equal(publicInputs.slice(4));
      expect(record.inputHash).to.equal(inputHashOf(artifacts.layout, publicInputs));
      expect(record.inputIsPrivate).to.equal(false);
      expect(record.nonce).to.equal(1n);
      expect(record.transactionHash).to.equal(sent.hash);
      expect(record.version).to.equal((await reader.getModel({ modelId })).currentVersion);
      expect(record.verifier.toLowerCase()).to.equal(verifier.toLowerCase());
      expect(record.codeHash).to.equal(verifierCodeHash);
      // a dev-SRS model: every record says so
      expect(record.insecureDevSrs).to.equal(true);
      const latest = await reader.getLatestRecord({ modelId, submitter: ownerAddress, inputHash: record.inputHash });
      expect(latest?.id).to.equal(sent.recordId);
      expect(await reader.getLatestRecord({ modelId, submitter: ownerAddress, inputHash: `0x${"22".repeat(32)}` })).to.equal(undefined);
      expect((await reader.findInference({ modelId, codeHash: verifierCodeHash, inputHash: record.inputHash, outputs: record.outputs }))?.id).to.equal(sent.recordId);
      expect(await reader.findInference({ modelId, codeHash: `0x${"22".repeat(32)}`, inputHash: record.inputHash, outputs: record.outputs })).to.equal(undefined);
      expect(await reader.findInference({ modelId, codeHash: verifierCodeHash, inputHash: record.inputHash, outputs: [record.outputs[0], record.outputs[1] + 1n] })).to.equal(undefined);
    });

    it("turns the registry's refusals into typed errors, with nothing recorded", async () => {
      const before = await reader.listRecords({ modelId });
      const altered = withInput(model.proofs[1], 4, 1n);
      const invalid = await expectRejection(owner.submitInference({ modelId, proof: altered }), /does not verify/);
      expect(invalid).to.be.instanceOf(InvalidProofError);
      const bytes = model.proofs[1].proof;
      const flipped = { ...model.proofs[1], proof: `${bytes.slice(0, 100)}${bytes[100] === "0" ? "1" : "0"}${bytes.slice(101)}` as Hex };
      // a flipped coordinate byte makes a point that is off the curve or a different point: refused either way
      expect(await expectRejection(owner.submitInference({ modelId, proof: flipped }), /proof/)).to.be.instanceOf(InvalidProofError);
      const dup = await expectRejection(owner.submitInference({ modelId, proof: model.proofs[0], nonce: 1n }), /already exists/);
      expect(dup).to.be.instanceOf(RecordExistsError);
      expect(await expectRejection(owner.submitInference({ modelId: `0x${"33".repeat(32)}`, proof: model.proofs[1] }), /no model/)).to.be.instanceOf(UnknownModelError);
      expect(await expectRejection(reader.getRecord({ recordId: `0x${"44".repeat(32)}` }), /no record/)).to.be.instanceOf(UnknownRecordError);
      expect(await expectRejection(reader.submitInference({ modelId, proof: model.proofs[1] }), /walletClient|signer/)).to.be.instanceOf(NoSignerError);
      expect(await expectRejection(owner.submitInference({ modelId, proof: { ...model.proofs[1], version: 9 } }), /malformed proof file/)).to.be.instanceOf(InvalidArgumentError);
      expect((await reader.listRecords({ modelId })).records.length).to.equal(before.records.length);
    });

    it("refuses malformed arguments with typed errors before sending anything", async () => {
      const blockBefore = await reader.backend.blockNumber();
      const [p] = model.proofs;
      const raw = { proof: p.proof, publicInputs: p.publicInputs };
      const malformed: [string, () => Promise<unknown>][] = [
        ["a short model id", () => owner.submitInference({ modelId: "0x1234", proof: p })],
        ["no proof", () => owner.submitInference({ modelId, proof: null as never })],
        ["proof bytes without public inputs", () => owner.submitInference({ modelId, proof: { proof: p.proof } as never })],
        ["proof bytes of the wrong length", () => owner.submitInference({ modelId, proof: { ...raw, proof: "0x1234" } })],
        ["proof bytes that are not hex", () => owner.submitInference({ modelId, proof: { ...raw, proof: "0xzz" as Hex } })],
        ["a public input that is not an integer", () => owner.submitInference({ modelId, proof: { ...raw, publicInputs: ["1", "one"] } })],
        ["an empty public input", () => owner.submitInference({ modelId, proof: { ...raw, publicInputs: [""] } })],
        ["a nonce that is not a bigint", () => owner.submitInference({ modelId, proof: p, nonce: "5" as never })],
        ["a batch that is not an array", () => owner.submitInferences({ modelId, proofs: undefined as never })],
        ["a batch nonce out of range", () => owner.submitInferences({ modelId, proofs: [p], nonces: [-1n] })],
        ["a registry that is not an address", () => owner.withRegistry("0x1234" as Hex).getRecord({ recordId: `0x${"44".repeat(32)}` })],
        ["a short record id", () => reader.getRecord({ recordId: "0x12" })],
        ["a model id that is not hex", () => reader.getModel({ modelId: "model" as Hex })],
        ["an empty input hash", () => reader.getLatestRecord({ modelId, submitter: ownerAddress, inputHash: "0x" })],
        ["a latest-record submitter that is not an address", () => reader.getLatestRecord({ modelId, submitter: "0x12" as Hex, inputHash: `0x${"22".repeat(32)}` })],
        ["a record search from a block that is not a bigint", () => reader.getRecord({ recordId: `0x${"44".repeat(32)}`, fromBlock: 5 as never })],
        ["outputs that are not an array", () => reader.findInference({ modelId, codeHash: `0x${"33".repeat(32)}`, inputHash: `0x${"22".repeat(32)}`, outputs: 7 as never })],
        ["an output that is not a bigint", () => reader.findInference({ modelId, codeHash: `0x${"33".repeat(32)}`, inputHash: `0x${"22".repeat(32)}`, outputs: ["7" as never] })],
        ["a version that is not an integer", () => reader.getModelVersion({ version: 1.5 })],
        ["a negative version", () => reader.getModelVersion({ version: -1 })],
        ["a code hash that is not 32 bytes", () => reader.checkVerifierCode({ codeHash: "0x12", vkDigest: artifacts.vkDigest })],
        ["a new owner that is not an address", () => owner.transferModelOwnership({ modelId, newOwner: "0x12" as Hex })],
        ["a short model id to accept", () => other.acceptModelOwnership({ modelId: "0x12" })],
        ["a new verifier with a bad checksum", () => owner.updateModel({ modelId, verifier: verifier.toLowerCase().replace("0x", "0xA") as Hex })],
        ["a model id to update that is not hex", () => owner.updateModel({ modelId: "model" as Hex, metadataURI: "x" })],
        ["a submitter that is not an address", () => reader.listRecords({ submitter: "0x12" as Hex })],
        ["a verifier with a bad checksum", () => owner.registerModel({ vkDigest: artifacts.vkDigest, verifier: verifier.toLowerCase().replace("0x", "0xA") as Hex })],
        ["no verifier", () => owner.registerModel({ vkDigest: artifacts.vkDigest } as never)],
        ["a watch filter that is not an address", async () => reader.watchRecords({ submitter: "0x99" as Hex, onRecords: () => undefined })()],
      ];
      for (const [what, attempt] of malformed) {
        const err = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, what).to.be.instanceOf(InvalidArgumentError);
      }
      // The count of public inputs is the model's: the simulation refuses another count, nothing is sent.
      const short = await expectRejection(owner.submitInference({ modelId, proof: { ...raw, publicInputs: raw.publicInputs.slice(0, 5) } }), /takes 6 public inputs but 5/);
      expect(short).to.be.instanceOf(PublicInputCountError);
      expect(await reader.backend.blockNumber()).to.equal(blockBefore);
    });

    it("submits a batch of real proofs in one transaction", async () => {
      const sent = await other.submitInferences({ modelId, proofs: [model.proofs[1], model.proofs[2]], nonces: [5n, 6n] });
      expect(sent.recordIds.length).to.equal(2);
      const [r1, r2] = await Promise.all(sent.recordIds.map((recordId) => reader.getRecord({ recordId })));
      expect(r1.blockNumber).to.equal(r2.blockNumber);
      expect(r2.outputs).to.deep.equal(model.proofs[2].publicInputs.slice(4).map(BigInt));
      const bad = [model.proofs[1], withInput(model.proofs[2], 0, 1n)];
      expect(await expectRejection(other.submitInferences({ modelId, proofs: bad }), /does not verify/)).to.be.instanceOf(InvalidProofError);
    });

    it("lists records from events, filtered and paginated by cursor", async () => {
      const all = await reader.listRecords({ modelId });
      expect(all.records.length).to.equal(3);
      expect(all.cursor).to.equal(undefined);
      const seen: InferenceRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await reader.listRecords({ modelId, limit: 1, cursor, blockRange: 2n });
        expect(page.records.length).to.equal(1);
        seen.push(...page.records);
        cursor = page.cursor;
      } while (cursor);
      expect(seen.map((r) => r.id)).to.deep.equal(all.records.map((r) => r.id));
      const mine = await reader.listRecords({ modelId, submitter: ownerAddress });
      expect(mine.records.map((r) => r.nonce)).to.deep.equal([1n]);
      const theirs = await reader.listRecords({ submitter: (await other.backend.account("test")) as Hex });
      expect(theirs.records.map((r) => r.nonce)).to.deep.equal([5n, 6n]);
      expect((await reader.listRecords({ modelId, toBlock: all.records[0].blockNumber - 1n })).records).to.deep.equal([]);
    });

    it("watches new records", async () => {
      const got: InferenceRecord[] = [];
      const errors: Error[] = [];
      const stop = reader.watchRecords({ modelId, pollingIntervalMs: 25, onRecords: (r) => got.push(...r), onError: (e) => errors.push(e) });
      try {
        await new Promise((r) => setTimeout(r, 100));
        const sent = await owner.submitInference({ modelId, proof: model.proofs[2], nonce: 77n });
        for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        expect(got.map((r) => r.id)).to.deep.equal([sent.recordId]);
        expect(errors).to.deep.equal([]);
      } finally {
        stop();
      }
    });

    it("checks the pinned verifier code against the code generated from the artifacts", async () => {
      const check = await reader.checkVerifierCode({ codeHash: verifierCodeHash, vkDigest: artifacts.vkDigest });
      expect(check.ok).to.equal(true);
      expect(check.models.map((m) => [m.modelId, m.versions.map((v) => v.match)])).to.deep.equal([[modelId, [true]]]);
      // hashes are hex, whatever the case of their letters
      const upper = (h: Hex): Hex => `0x${h.slice(2).toUpperCase()}`;
      expect((await reader.checkVerifierCode({ codeHash: upper(verifierCodeHash), vkDigest: upper(artifacts.vkDigest) })).ok).to.equal(true);
      const other = await reader.checkVerifierCode({ codeHash: keccak256("0x00"), vkDigest: artifacts.vkDigest });
      expect(other.ok).to.equal(false);
      expect(other.models[0].versions[0].match).to.equal(false);
      const wrongKey = await reader.checkVerifierCode({ codeHash: verifierCodeHash, vkDigest: `0x${"77".repeat(32)}`, modelId });
      expect([wrongKey.ok, wrongKey.models[0].keyMatches]).to.deep.equal([false, false]);
    });

    it("moves ownership in two steps", async () => {
      const otherAddress = (await other.backend.account("test")) as Hex;
      await owner.transferModelOwnership({ modelId, newOwner: otherAddress });
      expect((await reader.getModel({ modelId })).pendingOwner.toLowerCase()).to.equal(otherAddress.toLowerCase());
      expect(await expectRejection(owner.acceptModelOwnership({ modelId }), /was not proposed/)).to.be.instanceOf(NotPendingOwnerError);
      await other.acceptModelOwnership({ modelId });
      expect((await reader.getModel({ modelId })).owner.toLowerCase()).to.equal(otherAddress.toLowerCase());
      expect(await expectRejection(owner.updateModel({ modelId, metadataURI: "x" }), /does not own/)).to.be.instanceOf(NotModelOwnerError);
      await other.transferModelOwnership({ modelId, newOwner: ownerAddress });
      await owner.acceptModelOwnership({ modelId });
      expect((await reader.getModel({ modelId })).owner.toLowerCase()).to.equal(ownerAddress.toLowerCase());
    });

    it("sends several submissions in flight from one local account, each with its own nonce", async () => {
      const sent = await Promise.all([0, 1, 2, 0, 1].map((i, k) => local.submitInference({ modelId, proof: model.proofs[i], nonce: 1000n + BigInt(k) })));
      const records = await Promise.all(sent.map((s) => reader.getRecord({ recordId: s.recordId })));
      expect(new Set(sent.map((s) => s.hash)).size).to.equal(5);
      expect(records.map((r) => r.submitter.toLowerCase())).to.deep.equal(Array(5).fill((await local.backend.account("test")).toLowerCase()));
    });

    it("takes a fresh nonce when the account's next one was used outside the SDK", async () => {
      await local.submitInference({ modelId, proof: model.proofs[0], nonce: 1500n });
      await sendOutside();
      const sent = await local.submitInference({ modelId, proof: model.proofs[0], nonce: 1501n });
      expect((await reader.getRecord({ recordId: sent.recordId })).blockNumber).to.equal(sent.blockNumber);
    });

    it("returns the existing record when a submission is resent with the same nonce", async () => {
      const first = await local.submitInference({ modelId, proof: model.proofs[1], nonce: 2000n });
      const blockAfterFirst = await reader.backend.blockNumber();
      const again = await local.submitInference({ modelId, proof: model.proofs[1], nonce: 2000n });
      expect(again).to.deep.equal({ ...first, alreadyRecorded: true });
      expect(first.alreadyRecorded).to.equal(false);
      expect(await reader.backend.blockNumber()).to.equal(blockAfterFirst);
      // The same nonce with another reference is another submission: refused, as the registry does.
      const other = await expectRejection(local.submitInference({ modelId, proof: model.proofs[1], nonce: 2000n, reference: `0x${"01".repeat(32)}` }), /already exists/);
      expect(other).to.be.instanceOf(RecordExistsError);
      // A batch resent after part of it was recorded sends only the rest.
      const batch = await local.submitInferences({ modelId, proofs: [model.proofs[1], model.proofs[2]], nonces: [2000n, 2001n] });
      expect(batch.recordIds[0]).to.equal(first.recordId);
      expect(batch.transactions.map((t) => [t.alreadyRecorded, t.recordIds.length])).to.deep.equal([
        [true, 1],
        [false, 1],
      ]);
      const resent = await local.submitInferences({ modelId, proofs: [model.proofs[1], model.proofs[2]], nonces: [2000n, 2001n] });
      expect(resent.recordIds).to.deep.equal(batch.recordIds);
      expect(resent.gasUsed).to.equal(0n);
    });

    it("says a transaction was not sent, with its record ids and nonces, when it fails before broadcast", async () => {
      const blockBefore = await reader.backend.blockNumber();
      const err = await expectRejection(broke.submitInference({ modelId, proof: model.proofs[2], nonce: 3000n }), /not sent/);
      expect(err).to.be.instanceOf(TransactionNotSentError);
      const e = err as TransactionNotSentError;
      const submitter = await broke.backend.account("test");
      const recordId = computeRecordId({ modelId, publicInputs: model.proofs[2].publicInputs.map(BigInt), submitter, nonce: 3000n });
      expect([e.broadcast, e.operation, e.recordIds, e.nonces]).to.deep.equal(["no", "submitInference", [recordId], [3000n]]);
      expect(e.message).to.include(recordId).and.to.include("Nothing was broadcast");
      expect(await reader.backend.blockNumber()).to.equal(blockBefore);
    });

    it("cuts a batch longer than the registry's MAX_BATCH into transactions of at most MAX_BATCH", async function () {
      this.timeout(120_000);
      // 40 proofs of this model fit the gas cap (about 11.3M gas): only MAX_BATCH cuts them.
      const count = 40;
      const proofs = Array.from({ length: count }, (_, i) => model.proofs[i % 3]);
      const nonces = proofs.map((_, i) => 4000n + BigInt(i));
      const sent = await local.submitInferences({ modelId, proofs, nonces });
      expect(sent.transactions.map((t) => [t.recordIds.length, t.alreadyRecorded])).to.deep.equal([
        [MAX_BATCH, false],
        [count - MAX_BATCH, false],
      ]);
      expect(sent.transactions.flatMap((t) => t.recordIds)).to.deep.equal(sent.recordIds);
      const records = await Promise.all(sent.recordIds.map((recordId) => reader.getRecord({ recordId })));
      expect(records.length).to.equal(count);
    });

    it("cuts a batch whose gas exceeds the per-transaction cap into transactions that fit", async function () {
      this.timeout(180_000);
      const { address } = await owner.deployVerifier({ bytecode: wide.bytecode });
      const registered = await owner.registerModel({ vkDigest: wide.artifacts.vkDigest, verifier: address });
      // MAX_BATCH proofs of the wide model: the registry takes that many, one transaction's gas does not.
      const proofs = Array.from({ length: MAX_BATCH }, () => wide.model.proofs[0]);
      const nonces = proofs.map((_, i) => 5000n + BigInt(i));
      const sent = await local.submitInferences({ modelId: registered.modelId, proofs, nonces });
      expect(sent.transactions.length).to.be.greaterThan(1);
      expect(sent.transactions.every((t) => t.gasUsed < TRANSACTION_GAS_CAP && !t.alreadyRecorded)).to.equal(true);
      expect(sent.gasUsed > TRANSACTION_GAS_CAP, `the whole batch used ${sent.gasUsed} gas`).to.equal(true);
      expect(sent.transactions.flatMap((t) => t.recordIds)).to.deep.equal(sent.recordIds);
      expect((await reader.listRecords({ modelId: registered.modelId })).records.map((r) => r.id)).to.deep.equal(sent.recordIds);
    });

    it("refuses records of a deprecated model", async () => {
      await expectRejection(other.deprecateModel({ modelId }), /does not own/);
      await owner.deprecateModel({ modelId });
      const err = await expectRejection(owner.submitInference({ modelId, proof: model.proofs[0] }), /deprecated/);
      expect(err).to.be.instanceOf(DeprecatedModelError);
    });
  });
}

describe("sdk: verifiers that must not be trusted", () => {
  let client: ZkinferClient;
  let acceptAll: { abi: readonly unknown[]; bytecode: Hex };

  before(async () => {
    const publicClient = await viem.getPublicClient();
    const [w0] = await viem.getWalletClients();
    const base = createClient({ publicClient, walletClient: w0 });
    client = base.withRegistry((await base.deployRegistry()).address);
    const artifact = await hre.artifacts.readArtifact("AcceptAllVerifier");
    acceptAll = { abi: artifact.abi, bytecode: artifact.bytecode as Hex };
  });

  const acceptAllBytecode = (): Hex =>
    encodeDeployData({ abi: acceptAll.abi, bytecode: acceptAll.bytecode, args: acceptAllArgs(artifacts) } as never);

  it("refuses to deploy or register a verifier that accepts a random proof, with a typed error and nothing registered", async () => {
    const deployed = await expectRejection(client.deployVerifier({ bytecode: acceptAllBytecode() }), /accepted a random well-formed proof/);
    expect(deployed).to.be.instanceOf(AcceptingVerifierError);
    // deployed by other means, it still cannot be registered or swapped in through the SDK
    const { address } = await viem.deployContract("AcceptAllVerifier", acceptAllArgs(artifacts));
    const registered = await expectRejection(client.registerModel({ vkDigest: artifacts.vkDigest, verifier: address }), /accepts forgeries/);
    expect(registered).to.be.instanceOf(AcceptingVerifierError);
    expect((await client.listModels()).modelIds).to.deep.equal([]);
    const honest = await client.deployVerifier({ bytecode: verifierBytecode });
    const { modelId } = await client.registerModel({ vkDigest: artifacts.vkDigest, verifier: honest.address });
    expect(await expectRejection(client.updateModel({ modelId, verifier: address }), /accepted a random/)).to.be.instanceOf(AcceptingVerifierError);
    expect((await client.getModel({ modelId })).versions.length).to.equal(1);
  });

  it("reports a verifier whose code changed under its address as VerifierCodeChangedError, and records nothing", async () => {
    const honest = await client.deployVerifier({ bytecode: verifierBytecode });
    const { modelId } = await client.registerModel({ vkDigest: artifacts.vkDigest, verifier: honest.address });
    const code = (await (await viem.getPublicClient()).getCode({ address: honest.address }))!;
    const forger = await viem.deployContract("AcceptAllVerifier", acceptAllArgs(artifacts));
    const forgerCode = (await (await viem.getPublicClient()).getCode({ address: forger.address }))!;
    await connection.provider.request({ method: "hardhat_setCode", params: [honest.address, forgerCode] });
    const tampered = withInput(model.proofs[0], 5, 1n);
    const err = await expectRejection(client.submitInference({ modelId, proof: tampered }), /no longer has the code the registry pinned/);
    expect(err).to.be.instanceOf(VerifierCodeChangedError);
    expect((err as VerifierCodeChangedError).pinned).to.equal(verifierCodeHash);
    expect((err as VerifierCodeChangedError).actual).to.equal(keccak256(forgerCode));
    expect((await client.listRecords({ modelId })).records).to.deep.equal([]);
    await connection.provider.request({ method: "hardhat_setCode", params: [honest.address, code] });
    await client.submitInference({ modelId, proof: model.proofs[0] });
    expect((await client.listRecords({ modelId })).records.length).to.equal(1);
  });

  it("records a batch of MAX_BATCH proofs within the per-transaction gas cap (2^24)", async () => {
    const honest = await client.deployVerifier({ bytecode: verifierBytecode });
    const { modelId } = await client.registerModel({ vkDigest: artifacts.vkDigest, verifier: honest.address });
    const max = Number((await (await viem.getPublicClient()).readContract({ address: client.registry!, abi: inferenceRegistryAbi, functionName: "MAX_BATCH" })) as bigint);
    expect(max).to.equal(MAX_BATCH);
    const proofs = Array.from({ length: max }, (_, i) => model.proofs[i % model.proofs.length]);
    const sent = await client.submitInferences({ modelId, proofs, nonces: proofs.map((_, i) => BigInt(i)) });
    expect(sent.recordIds.length).to.equal(max);
    // in one transaction: the SDK cuts a batch only when its gas estimate is over the cap
    expect(sent.transactions.length).to.equal(1);
    expect(sent.gasUsed < TRANSACTION_GAS_CAP, `a batch of ${max} used ${sent.gasUsed} gas`).to.equal(true);
  });
});

describe("sdk: off-chain verification and RPC failures", () => {
  it("verifies a real proof off-chain and refuses an altered one", async () => {
    const client = createClient({ publicClient: await viem.getPublicClient() });
    expect(await client.verifyOffchain(model.proofs[0], artifacts.vk)).to.equal(true);
    expect(await client.verifyOffchain(withInput(model.proofs[0], 5, 1n), artifacts.vk)).to.equal(false);
    expect(await client.verifyOffchain(model.proofs[0], new Uint8Array(10)).catch((e: Error) => e.message)).to.match(/malformed verification key/);
  });

  it("gives up with RpcError after the configured retries", async () => {
    const publicClient = createPublicClient({ transport: http("http://127.0.0.1:9", { retryCount: 0 }) });
    const client = createClient({ publicClient, registry: `0x${"55".repeat(20)}`, retry: { attempts: 2, delayMs: 5 } });
    const err = await expectRejection(client.getRecord({ recordId: `0x${"66".repeat(32)}` }), /eth_call failed after 2 attempts/);
    expect(err).to.be.instanceOf(RpcError);
  });

  it("says nothing was sent when the node fails while a verifier is probed before registering it", async () => {
    const transport = http("http://127.0.0.1:9", { retryCount: 0 });
    const walletClient = createWalletClient({ account: privateKeyToAccount(UNFUNDED_KEY), transport });
    const client = createClient({ publicClient: createPublicClient({ transport }), walletClient, registry: `0x${"55".repeat(20)}`, retry: { attempts: 1 } });
    const verifier: Hex = `0x${"77".repeat(20)}`;
    for (const [operation, attempt] of [
      ["registerModel", () => client.registerModel({ vkDigest: artifacts.vkDigest, verifier })],
      ["setVerifier", () => client.updateModel({ modelId: `0x${"66".repeat(32)}`, verifier })],
    ] as const) {
      const err = await expectRejection(attempt(), /not sent/);
      expect(err, operation).to.be.instanceOf(TransactionNotSentError);
      expect([(err as TransactionNotSentError).broadcast, (err as TransactionNotSentError).operation]).to.deep.equal(["no", operation]);
    }
  });
});
