// A dApp's script, plain Node (no TypeScript, no bundler): checks a proof off-chain, watches the
// model's records, submits the proof, and reads the record back. Node 22+, with zkinfer and viem
// installed.
//
//   RPC_URL=http://127.0.0.1:8545 REGISTRY=0x… MODEL_ID=0x… PRIVATE_KEY=0x… \
//     node submit-and-watch.mjs <model dir> <proof.json>
//
// The registry and model id are what `npx hardhat deploy-verifier` printed (and recorded in
// deployments/<network>.json); the model directory needs only vk.bin.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createClient, verifyOffchain } from "zkinfer/sdk";

const [modelDir, proofPath] = process.argv.slice(2);
const { RPC_URL, REGISTRY, MODEL_ID, PRIVATE_KEY } = process.env;
if (!modelDir || !proofPath || !RPC_URL || !REGISTRY || !MODEL_ID || !PRIVATE_KEY) {
  console.error("usage: RPC_URL=… REGISTRY=0x… MODEL_ID=0x… PRIVATE_KEY=0x… node submit-and-watch.mjs <model dir> <proof.json>");
  process.exit(2);
}

const proof = JSON.parse(await readFile(proofPath, "utf8"));
const vk = new Uint8Array(await readFile(join(modelDir, "vk.bin")));

// 1. Off-chain first: a proof that does not verify would only waste gas.
if (!(await verifyOffchain({ proof, vk }))) {
  console.error(`${proofPath}: the proof does not verify against ${modelDir}/vk.bin`);
  process.exit(1);
}

const transport = http(RPC_URL);
const publicClient = createPublicClient({ transport });
const walletClient = createWalletClient({ account: privateKeyToAccount(PRIVATE_KEY), transport });
const zk = createClient({ publicClient, walletClient, registry: REGISTRY });

// 2. Watch the model's records from the next block on (onRecords gets each new record once).
const fromBlock = (await publicClient.getBlockNumber()) + 1n;
const watched = [];
let stopWatching;
const seen = new Promise((resolve, reject) => {
  stopWatching = zk.watchRecords({
    modelId: MODEL_ID,
    fromBlock,
    pollingIntervalMs: 200,
    onRecords: (records) => {
      watched.push(...records);
      resolve();
    },
    onError: reject,
  });
});

// 3. Submit: the registry verifies the proof on-chain and records the inference.
const { recordId, gasUsed } = await zk.submitInference({ modelId: MODEL_ID, proof });

// 4. Read it back, list the model's records, and wait for the watch to report it.
const record = await zk.getRecord({ recordId });
const { records } = await zk.listRecords({ modelId: MODEL_ID, limit: 50 });
await seen;
stopWatching();

console.log(
  JSON.stringify({
    recordId,
    gasUsed: gasUsed.toString(),
    submitter: record.submitter,
    outputs: record.outputs.map(String),
    insecureDevSrs: record.insecureDevSrs,
    listed: records.some((r) => r.id === recordId),
    watched: watched.some((r) => r.id === recordId),
  }),
);
