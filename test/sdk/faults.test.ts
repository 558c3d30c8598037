// Faults on a real JSON-RPC node: `npx hardhat node` is paused (SIGSTOP) for PAUSE_MS just as a
// submission's transaction goes out, while several submissions from one account are in flight
// (RPC requests time out after RPC_TIMEOUT_MS). Every call must end either in a record that
// exists or in a TransactionError that says what happened: whether the transaction was broadcast,
// its hash, the record id and the nonce; "not broadcast" must be true. Resending each failed
// submission with its nonce must then leave exactly one record per nonce. The same for viem with
// a local account, ethers with a Wallet, and viem with the node's own account (no hash before
// the broadcast), some clients waiting out the pause (confirmTimeoutMs) and some not.
import { expect } from "chai";
import { rm } from "node:fs/promises";
import { FetchRequest, HDNodeWallet, JsonRpcProvider, JsonRpcSigner, type Signer } from "ethers";
import { createPublicClient, createWalletClient, getAddress, http, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { releaseEngine } from "../../verifier/engine/bn254.js";
import {
  computeRecordId,
  createClient,
  TransactionError,
  UnknownRecordError,
  type ClientOptions,
  type SubmitInferenceReturnType,
  type ZkinferClient,
} from "../../sdk/index.js";
import { createEthersClient } from "../../sdk/ethers/index.js";
import { compileModelVerifier, loadModelArtifacts } from "../../sdk/hardhat/model-artifacts.js";
import { makeMatvecModel, type MatvecModel } from "./matvec-model.js";
import { startHardhatNode, type HardhatNode } from "./node-process.js";

const PAUSE_MS = 3000;
const RPC_TIMEOUT_MS = 1000;
const IN_FLIGHT = 4;
const MNEMONIC = "test test test test test test test test test test test junk";
const SENDS = ["eth_sendRawTransaction", "eth_sendTransaction"];

/** Pauses the node when the first transaction of a round goes out, and resumes it PAUSE_MS later. */
class PauseOnSend {
  fired = false;
  resumed: Promise<void> = Promise.resolve();
  constructor(private readonly node: HardhatNode) {}
  check(body: string): void {
    if (this.fired || !SENDS.some((m) => body.includes(`"${m}"`))) return;
    this.fired = true;
    this.node.pause();
    this.resumed = new Promise((resolve) => setTimeout(() => resolve(this.node.resume()), PAUSE_MS));
  }
}

/** A round's two clients on one account: one waits out the pause, one gives up first. */
type MakeClients = (trap: PauseOnSend, options: ClientOptions) => { patient: ZkinferClient; impatient: ZkinferClient; stop(): void };

interface Round {
  name: string;
  /** The SDK signs, so it knows the hash and nonce of whatever may have gone out. */
  signsLocally: boolean;
  make: MakeClients;
}

describe("sdk under faults: a JSON-RPC node paused mid-send", function () {
  this.timeout(180_000);
  let model: MatvecModel;
  let node: HardhatNode;
  let registry: Hex;
  let modelId: Hex;
  let accounts: Hex[];
  /** A client with default timeouts, for setting up and checking. */
  let steady: ZkinferClient;

  before(async () => {
    model = await makeMatvecModel([[2, 7, 1, 8]]);
    // Compiled before the node starts: solc blocks this process for seconds, long enough for the
    // node to close an idle keep-alive socket under a request.
    const artifacts = await loadModelArtifacts(model.dir);
    const { bytecode } = compileModelVerifier(artifacts);
    node = await startHardhatNode();
    const publicClient = createPublicClient({ transport: http(node.url) });
    accounts = ((await publicClient.request({ method: "eth_accounts" } as never)) as string[]).map((a) => getAddress(a));
    const owner = createClient({ publicClient, walletClient: createWalletClient({ account: accounts[0], transport: http(node.url) }) });
    ({ address: registry } = await owner.deployRegistry());
    steady = owner.withRegistry(registry);
    const { address: verifier } = await steady.deployVerifier({ bytecode });
    ({ modelId } = await steady.registerModel({ vkDigest: artifacts.vkDigest, verifier }));
  });

  after(async () => {
    node?.stop();
    await releaseEngine();
    if (model) await rm(model.tmp, { recursive: true, force: true });
  });

  const viemTransport = (trap: PauseOnSend) =>
    http(node.url, {
      timeout: RPC_TIMEOUT_MS,
      retryCount: 0,
      fetchFn: (input, init) => {
        trap.check(String(init?.body ?? ""));
        return fetch(input, init);
      },
    });

  const viemClients = (trap: PauseOnSend, options: ClientOptions, account: Parameters<typeof createWalletClient>[0]["account"]): ReturnType<MakeClients> => {
    const transport = viemTransport(trap);
    const publicClient = createPublicClient({ transport });
    const walletClient = createWalletClient({ account, transport });
    return {
      patient: createClient({ publicClient, walletClient, ...options, confirmTimeoutMs: 20_000 }),
      impatient: createClient({ publicClient, walletClient, ...options, confirmTimeoutMs: 200 }),
      stop: () => undefined,
    };
  };

  const ethersClients = (trap: PauseOnSend, options: ClientOptions, signer: (provider: JsonRpcProvider) => Signer): ReturnType<MakeClients> => {
    const request = new FetchRequest(node.url);
    request.timeout = RPC_TIMEOUT_MS;
    request.preflightFunc = async (r) => {
      trap.check(r.body ? Buffer.from(r.body).toString() : "");
      return r;
    };
    const provider = new JsonRpcProvider(request, 31337, { staticNetwork: true });
    const account = signer(provider);
    return {
      patient: createEthersClient({ provider, signer: account, ...options, confirmTimeoutMs: 20_000 }),
      impatient: createEthersClient({ provider, signer: account, ...options, confirmTimeoutMs: 200 }),
      stop: () => provider.destroy(),
    };
  };

  const rounds: Round[] = [
    { name: "viem, a local account", signsLocally: true, make: (trap, options) => viemClients(trap, options, mnemonicToAccount(MNEMONIC, { addressIndex: 1 })) },
    { name: "ethers, a Wallet", signsLocally: true, make: (trap, options) => ethersClients(trap, options, (p) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0/2").connect(p)) },
    { name: "viem, the node's account", signsLocally: false, make: (trap, options) => viemClients(trap, options, accounts[3]) },
    { name: "ethers, the node's account (JsonRpcSigner)", signsLocally: false, make: (trap, options) => ethersClients(trap, options, (p) => new JsonRpcSigner(p, accounts[4])) },
  ];

  for (const [round, { name, signsLocally, make }] of rounds.entries()) {
    it(`${name}: every submission ends in a record or says what happened, and a resend records each nonce once`, async () => {
      const trap = new PauseOnSend(node);
      const clients = make(trap, { registry, retry: { attempts: 3, delayMs: 250 } });
      const proof = model.proofs[0];
      const publicInputs = proof.publicInputs.map(BigInt);
      const nonces = Array.from({ length: IN_FLIGHT }, (_, i) => BigInt(round * 100 + i + 1));
      try {
        const submitter = await clients.patient.backend.account("test");
        // One that gives up, the others wait out the pause; all in flight at once.
        const outcomes = await Promise.allSettled(nonces.map((nonce, i) => (i === 0 ? clients.impatient : clients.patient).submitInference({ modelId, proof, nonce })));
        await trap.resumed;
        expect(trap.fired, "the node was paused mid-send").to.equal(true);

        const failed: bigint[] = [];
        for (const [i, o] of outcomes.entries()) {
          const nonce = nonces[i];
          const recordId = computeRecordId({ modelId, publicInputs, submitter, nonce });
          if (o.status === "fulfilled") {
            const sent: SubmitInferenceReturnType = o.value;
            expect(sent.recordId).to.equal(recordId);
            expect((await steady.getRecord({ recordId })).submitter).to.equal(submitter);
            continue;
          }
          failed.push(nonce);
          const err = o.reason as TransactionError;
          expect(err, `nonce ${nonce}: ${String(o.reason)}`).to.be.instanceOf(TransactionError);
          expect([err.recordIds, err.nonces], err.message).to.deep.equal([[recordId], [nonce]]);
          expect(err.message).to.include(recordId);
          if (err.broadcast === "yes") expect(err.hash, err.message).to.match(/^0x[0-9a-f]{64}$/);
          if (err.broadcast === "no") {
            // Not broadcast means no record, now that the node answers again.
            const missing = await steady.getRecord({ recordId }).catch((e: unknown) => e);
            expect(missing, err.message).to.be.instanceOf(UnknownRecordError);
          } else if (signsLocally) {
            // A local signer knows the hash and nonce of what it may have broadcast.
            expect([typeof err.hash, typeof err.transactionNonce], err.message).to.deep.equal(["string", "number"]);
          }
        }

        // The safe retry: the same nonce again, once the node answers.
        for (const nonce of failed) {
          const again = await clients.patient.submitInference({ modelId, proof, nonce });
          expect(again.recordId).to.equal(computeRecordId({ modelId, publicInputs, submitter, nonce }));
        }
        const { records } = await steady.listRecords({ modelId, submitter });
        expect(records.map((r) => r.nonce).sort((a, b) => Number(a - b))).to.deep.equal(nonces);
      } finally {
        clients.stop();
        node.resume();
      }
    });
  }
});
