// zkinfer audit --rpc <url> --registry <addr> [--model <id>] [--owner <addr>] [--from-block <n>]
// [--artifacts <dir>…] [--check <dir>]: lists the audit records of an InferenceRegistry on any JSON-RPC node, through
// the SDK; with --check, regenerates the verifier from the model directory's vk.bin, compiles it and
// compares its code hash with the code the registry pinned in every version of the models of that
// key (of that owner, with --owner), with a verdict per model.
import { resolve } from "node:path";
import type { Hex } from "viem";
import type { CheckVerifierCodeReturnType } from "../../../sdk/index.js";
import type { PublicInputLayout } from "../../../verifier/plonkish/index.js";
import type { Command } from "../command.js";
import { address, required } from "../chain-args.js";
import { CheckFailedError, EXIT, InputError, UsageError } from "../errors.js";

export const auditCommand: Command = {
  path: ["audit"],
  summary: "list the audit records of an inference registry; --check compares the pinned verifier code with the artifacts'",
  args: "",
  positionals: { min: 0, max: 0 },
  options: {
    rpc: { type: "string", valueName: "<url>", description: "JSON-RPC endpoint of the chain, e.g. http://127.0.0.1:8545" },
    registry: { type: "string", valueName: "<address>", description: "the InferenceRegistry contract" },
    model: { type: "string", valueName: "<id>", description: "only this model (default: every model of the registry)" },
    owner: { type: "string", valueName: "<address>", description: "only the models this account owns" },
    "from-block": { type: "string", valueName: "<n>", description: "search records from this block (default: each model's registration block)" },
    check: {
      type: "string",
      valueName: "<dir>",
      description: "regenerate the verifier from this model directory's vk.bin and compare its code with every pinned version (exit 1 on a mismatch)",
    },
    artifacts: {
      type: "string",
      multiple: true,
      valueName: "<dir>",
      description: "a model directory whose vk.json gives its outputs' scales, to show them as numbers (repeatable; --check's directory counts too)",
    },
    srs: {
      type: "string",
      valueName: "<file.ptau>",
      description: "with --check: also check the directory's public-circuit.bin against its vk.bin with this SRS (as `zkinfer check-circuit`)",
    },
  },
  description:
    "Reads every model of the registry (or one) with its versions (verifier, pinned code hash, dev-SRS flag), then its\n" +
    "InferenceRecorded events and stored records: id, submitter, block and time, version with its verifier and pinned\n" +
    "code hash, input and output hashes, and every output. Outputs are shown as numbers when a model directory of the\n" +
    "model's key is given (--artifacts or --check: its vk.json's scales, used only if its layout digest is the model's),\n" +
    "else as the signed fixed-point integers the proof holds. A model with a version built on a development SRS carries\n" +
    "an INSECURE warning once, and each of its records a short INSECURE mark; a private input is shown as private, and\n" +
    "the input of a key that declares no meaning for its public inputs as not declared.\n" +
    "With --check <dir>, the verifier generated and compiled from <dir>/vk.bin is compared with the\n" +
    "code hash pinned in every version of the registry's models of that key: one line per version, match or MISMATCH,\n" +
    "and a verdict per model. Models of another key are named as not checked and their records are not shown. Anyone\n" +
    "can register a model under any key, so --owner (or --model) limits the check to the models an owner vouches for.\n" +
    "The generated verifier holds the key's public-input layout, so this covers the layout the registry records. With\n" +
    "--srs <file.ptau> too, <dir>/public-circuit.bin is checked against <dir>/vk.bin (see `zkinfer check-circuit`); without\n" +
    "it, the report says the circuit was not checked.\n" +
    "Every log is checked against the registry's storage and must answer the query (a record of the model asked for),\n" +
    "and a model's logs are counted against its recordCount. With --from-block later than a model's registration, the\n" +
    "records made before that block are not shown (the report says its list may be partial) and every record made from\n" +
    "it on must be there, by the recordCount read at the block before it (for an old block the node must keep its state).\n" +
    "Exit 0 with the report; 1 on a MISMATCH or when the node lies about the records: it returns fewer logs of a model\n" +
    "than it has records, or a log that disagrees with storage, does not decode, repeats a record or is another model's;\n" +
    "2 if the node cannot be reached, the address holds no registry, the model is unknown or <dir> is not a model\n" +
    "directory.",
  async run({ values }) {
    // Loaded here, not at the top: every other command would pay for viem, the SDK and solc's loader.
    const [{ createPublicClient, http }, { auditReportJson, auditReportText, createClient, RecordLogError, RpcError, ZkinferError }, { compileModelVerifier, loadModelArtifacts }, { auditCircuitSection }] =
      await Promise.all([import("viem"), import("../../../sdk/index.js"), import("../../../sdk/hardhat/model-artifacts.js"), import("../circuit-check.js")]);
    const rpc = required(values.rpc, "--rpc", "the chain's JSON-RPC URL");
    const registry = await address(required(values.registry, "--registry", "the InferenceRegistry address"), "--registry");
    const model = values.model as string | undefined;
    if (model !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(model)) throw new UsageError(`--model must be a model id (0x and 64 hex digits), got "${model}"`);
    const owner = values.owner === undefined ? undefined : await address(String(values.owner), "--owner");
    const from = values["from-block"] as string | undefined;
    if (from !== undefined && !/^[0-9]+$/.test(from)) throw new UsageError(`--from-block must be a block number, got "${from}"`);
    let url: URL;
    try {
      url = new URL(rpc);
    } catch {
      throw new UsageError(`--rpc must be a URL, got "${rpc}"`);
    }
    const checkDir = values.check as string | undefined;
    if (checkDir !== undefined && checkDir === "") throw new UsageError("--check needs a model directory");
    // What the key's circuit is: checked from the published circuit file when there is an SRS.
    const circuit = await auditCircuitSection(checkDir, values.srs as string | undefined);
    const client = createClient({ publicClient: createPublicClient({ transport: http(url.href, { retryCount: 0 }) }), registry });
    let report;
    let check: CheckVerifierCodeReturnType | undefined;
    const layouts: PublicInputLayout[] = [];
    try {
      // The artifacts first: a bad directory is reported before any RPC.
      const artifacts = checkDir === undefined ? undefined : await loadModelArtifacts(resolve(checkDir));
      for (const dir of ((values.artifacts as string[] | undefined) ?? []).map(String)) layouts.push((await loadModelArtifacts(resolve(dir))).publicInputLayout);
      if (artifacts) layouts.push(artifacts.publicInputLayout);
      const codeHash = artifacts && compileModelVerifier(artifacts).codeHash;
      report = await client.auditRecords({ modelId: model as Hex | undefined, owner, fromBlock: from === undefined ? undefined : BigInt(from) });
      if (artifacts && codeHash) check = await client.checkVerifierCode({ codeHash, vkDigest: artifacts.vkDigest, modelId: model as Hex | undefined, owner, report });
    } catch (err) {
      // The node lied about the records (hid, rewrote, repeated, substituted or mangled a log): the
      // audit cannot vouch for the model, a failed check.
      if (err instanceof RecordLogError) throw new CheckFailedError(err.message, { cause: err });
      if (err instanceof RpcError) throw new InputError(`the node at ${url.href} did not answer: ${err.message} (check --rpc)`, { cause: err });
      if (err instanceof ZkinferError) throw new InputError(err.message, { cause: err });
      throw err;
    }
    const failed = (check && !check.ok) || circuit.failed;
    return {
      exitCode: failed ? EXIT.checkFailed : EXIT.ok,
      json: { ...(auditReportJson(registry, report, check, { layouts }) as object), ...circuit.json },
      text: [auditReportText(registry, report, check, { layouts }), ...circuit.lines].join("\n"),
    };
  },
};
