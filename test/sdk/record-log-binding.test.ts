// A node that lies about a record's InferenceRecorded log (issue 18, review round 3): it rewrites one
// word of the event, or leaves a log out. The registry stores, under the record id, a record hash
// binding every other word of the event (docs/protocol.md §10.3), and the number of
// records per model, so the SDK refuses a rewritten log (RecordLogMismatchError) and an audit that
// finds fewer logs than records (MissingRecordLogsError), wherever the rewrite is.
import { expect } from "chai";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";
import type { Hex } from "viem";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import { auditReportText, hashWords, MissingRecordLogsError, RecordLogMismatchError } from "../../sdk/index.js";
import { expectRejection } from "../helpers/assert.js";
import { zk } from "../helpers/cli.js";
import { deployRegisteredModel, lyingClient as lyingClientOf, lyingLogs, TEST_KEY as key, type RpcLog } from "../helpers/registry-fixture.js";
import { pairingTestProof } from "../contracts/pairing-test-prover.js";

const connection = await network.create();
const { viem } = connection;
const [owner] = await viem.getWalletClients();
const REF = `0x${"4e".repeat(32)}` as Hex;

// The event's data words: seq, version, timestamp, publicInputDigest, inputHash, ref, nonce, the
// offset of outputs, their length, the outputs.
const WORD = { seq: 0, version: 1, timestamp: 2, publicInputDigest: 3, inputHash: 4, ref: 5, nonce: 6, firstOutput: 9 } as const;

interface Fixture {
  registry: Hex;
  modelId: Hex;
  recordIds: Hex[];
}

async function deployWithRecords(): Promise<Fixture> {
  const { registry, modelId } = await deployRegisteredModel(connection);
  const recordIds: Hex[] = [];
  for (const [i, publicInputs] of [[5n, 6n, 7n, 8n], [1n, 2n, 3n, 4n]].entries()) {
    const nonce = BigInt(i + 1);
    recordIds.push(await registry.read.computeRecordId([modelId, publicInputs, owner.account.address, nonce]));
    await registry.write.submitInference([modelId, pairingTestProof(key, publicInputs), publicInputs, REF, nonce]);
  }
  return { registry: registry.address, modelId, recordIds };
}

/** A client whose node passes every request through but rewrites the logs it returns with `lie`. */
const lyingClient = (registry: Hex, lie: (logs: RpcLog[]) => RpcLog[]) => lyingClientOf(connection, registry, lyingLogs(lie));

/** Rewrites data word `index` of every log to `word`. */
const rewriteWord = (index: number, word: Hex) => (logs: RpcLog[]) =>
  logs.map((l) => {
    const words = l.data.slice(2).match(/.{64}/g)!;
    words[index] = word.slice(2);
    return { ...l, data: `0x${words.join("")}` as Hex };
  });

describe("a node lying about record logs", () => {
  let f: Fixture;
  before(async () => {
    f = await deployWithRecords();
  });
  after(releaseEngine);

  it("an honest node's logs read back with the stored record's input hash, reference and outputs", async () => {
    const honest = lyingClient(f.registry, (logs) => logs);
    const record = await honest.getRecord({ recordId: f.recordIds[0], fromBlock: 0n });
    expect([record.inputHash, record.reference, record.outputs, record.nonce]).to.deep.equal([hashWords([5n, 6n]), REF, [7n, 8n], 1n]);
    const audited = await honest.auditRecords({ modelId: f.modelId, fromBlock: 0n });
    expect(audited.models[0].records.map((r) => r.id)).to.deep.equal(f.recordIds);
    expect(audited.models[0].countChecked).to.equal(true);
  });

  it("an audit searching from after the model's registration says its list may be partial (the count is not checked)", async () => {
    // The node hides the first record's log, made before the search's first block (the second
    // record's): the audit does not expect it. (Hiding one made in the window fails: record-seq-window.)
    const hiding = lyingClient(f.registry, (logs) => logs.filter((l) => l.topics[1] !== f.recordIds[0]));
    const model = await hiding.getModel({ modelId: f.modelId });
    const audited = await hiding.auditRecords({ modelId: f.modelId, fromBlock: model.registeredAtBlock + 2n });
    expect([audited.models[0].countChecked, audited.models[0].records.length, audited.models[0].storedRecordCount]).to.deep.equal([false, 1, 2]);
    expect(auditReportText(f.registry, audited)).to.include("1 record found from the given block on; the list may be partial (the registry counts 2 in all");
  });

  // Each word the SDK shows, rewritten: the review found the input hash and the reference taken on the node's word.
  const rewrites: [string, number, Hex][] = [
    ["input hash (to another input's)", WORD.inputHash, hashWords([1n, 2n])],
    ["input hash (to zero: 'input private')", WORD.inputHash, `0x${"00".repeat(32)}`],
    ["reference", WORD.ref, `0x${"77".repeat(32)}`],
    ["timestamp", WORD.timestamp, `0x${"00".repeat(31)}01`],
    ["version (to one the registry lacks)", WORD.version, `0x${"00".repeat(31)}09`],
    ["public-input digest", WORD.publicInputDigest, hashWords([1n])],
    ["nonce", WORD.nonce, `0x${"00".repeat(31)}09`],
    ["first output", WORD.firstOutput, `0x${"00".repeat(31)}63`],
    ["seq (the record's position among its model's)", WORD.seq, `0x${"00".repeat(31)}05`],
  ];
  for (const [what, index, word] of rewrites) {
    it(`a rewritten ${what} is refused by getRecord and auditRecords (RecordLogMismatchError)`, async () => {
      const lying = lyingClient(f.registry, rewriteWord(index, word));
      const err = await expectRejection(lying.getRecord({ recordId: f.recordIds[0], fromBlock: 0n }), /not the registry's record/);
      expect(err).to.be.instanceOf(RecordLogMismatchError);
      expect(await expectRejection(lying.auditRecords({ modelId: f.modelId, fromBlock: 0n }), /not the registry's record/)).to.be.instanceOf(RecordLogMismatchError);
    });
  }

  it("an audit that finds fewer logs than the registry's recordCount fails, naming the model and both counts (MissingRecordLogsError)", async () => {
    const hiding = lyingClient(f.registry, (logs) => logs.filter((l) => l.topics[1] !== f.recordIds[1]));
    const err = await expectRejection(hiding.auditRecords({ modelId: f.modelId, fromBlock: 0n }), /recordCount/);
    expect(err).to.be.instanceOf(MissingRecordLogsError);
    expect(err.message).to.include(f.modelId).and.include("1 InferenceRecorded log").and.include("2 records");
    expect(err).to.include({ modelId: f.modelId, found: 1, stored: 2 });
  });

  it("a log returned twice in place of a hidden one is refused", async () => {
    const repeating = lyingClient(f.registry, (logs) => logs.map((l) => (l.topics[1] === f.recordIds[1] ? logs[0] : l)));
    expect(await expectRejection(repeating.auditRecords({ modelId: f.modelId, fromBlock: 0n }), /in two logs/)).to.be.instanceOf(RecordLogMismatchError);
  });

  it("zkinfer audit through a node that hides a log exits 1, naming the model, both counts and the position", async () => {
    // A JSON-RPC node over HTTP that answers from the test chain but rewrites its logs with `lie`.
    let lie = (logs: RpcLog[]): RpcLog[] => logs;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        connection.provider
          .request({ method, params })
          .then((result) => (method === "eth_getLogs" ? lie(result as RpcLog[]) : result))
          .then(
            (result) => res.end(JSON.stringify({ jsonrpc: "2.0", id, result })),
            (err: Error) => res.end(JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32000, message: err.message } })),
          );
      });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    try {
      const { port } = server.address() as AddressInfo;
      const audit = (...more: string[]) => zk("audit", "--rpc", `http://127.0.0.1:${port}`, "--registry", f.registry, "--model", f.modelId, ...more);
      const hide = (i: number) => (logs: RpcLog[]) => logs.filter((l) => l.topics[1] !== f.recordIds[i]);
      lie = hide(1);
      const run = await audit("--from-block", "0");
      expect(run.code, run.stderr).to.equal(1);
      expect(run.stderr).to.include(f.modelId).and.include("1 InferenceRecorded log").and.include("recordCount says 2 records").and.include("record 1 (of 0…1) has no log");
      // From the first record's block (after the registration): its record is still expected.
      const registeredAt = (await lyingClient(f.registry, (logs) => logs).getModel({ modelId: f.modelId })).registeredAtBlock;
      lie = hide(0);
      const window = await audit("--from-block", String(registeredAt + 1n));
      expect(window.code, window.stderr).to.equal(1);
      expect(window.stderr).to.include("record 0 (of 0…1) has no log");
      // A seq word with its high bytes set: the node's lie (exit 1), not an internal error (exit 3).
      lie = (logs) => logs.map((l) => ({ ...l, data: `0x01${l.data.slice(4)}` as Hex }));
      const wide = await audit();
      expect(wide.code, wide.stderr).to.equal(1);
      expect(wide.stderr).to.include("does not fit in a uint64");
      lie = (logs) => logs;
      const honest = await audit("--from-block", String(registeredAt + 1n));
      expect(honest.code, honest.stderr).to.equal(0);
      expect(honest.stdout).to.include(`record ${f.recordIds[0]} (position 0 of the model)`).and.include(`record ${f.recordIds[1]} (position 1 of the model)`);
    } finally {
      server.close();
    }
  });
});
