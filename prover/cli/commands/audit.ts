// zkinfer audit --rpc <url> --registry <addr> [--model <id>] [--from-block <n>]: lists the audit
// records of an InferenceRegistry on any JSON-RPC node, through the SDK.
import { createPublicClient, getAddress, http, type Address, type Hex } from "viem";
import { auditReportJson, auditReportText, createClient, ZkinferError } from "../../../sdk/index.js";
import type { Command } from "../command.js";
import { EXIT, InputError, UsageError } from "../errors.js";

function required(value: unknown, flag: string, what: string): string {
  if (typeof value !== "string" || value === "") throw new UsageError(`${flag} is required: ${what}`);
  return value;
}

export const auditCommand: Command = {
  path: ["audit"],
  summary: "list the audit records of an inference registry",
  args: "",
  positionals: { min: 0, max: 0 },
  options: {
    rpc: { type: "string", valueName: "<url>", description: "JSON-RPC endpoint of the chain, e.g. http://127.0.0.1:8545" },
    registry: { type: "string", valueName: "<address>", description: "the InferenceRegistry contract" },
    model: { type: "string", valueName: "<id>", description: "only this model (default: every model of the registry)" },
    "from-block": { type: "string", valueName: "<n>", description: "search records from this block (default: each model's registration block)" },
  },
  description:
    "Reads every model of the registry (or one), then its InferenceRecorded events and stored records: id, block and time,\n" +
    "submitter, input and output hashes, outputs. Exit 0 with the report, 2 if the node cannot be reached, the address\n" +
    "holds no registry or the model is unknown.",
  async run({ values }) {
    const rpc = required(values.rpc, "--rpc", "the chain's JSON-RPC URL");
    let registry: Address;
    try {
      registry = getAddress(required(values.registry, "--registry", "the InferenceRegistry address"));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--registry must be an address (0x and 40 hex digits), got "${String(values.registry)}"`);
    }
    const model = values.model as string | undefined;
    if (model !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(model)) throw new UsageError(`--model must be a model id (0x and 64 hex digits), got "${model}"`);
    const from = values["from-block"] as string | undefined;
    if (from !== undefined && !/^[0-9]+$/.test(from)) throw new UsageError(`--from-block must be a block number, got "${from}"`);
    let url: URL;
    try {
      url = new URL(rpc);
    } catch {
      throw new UsageError(`--rpc must be a URL, got "${rpc}"`);
    }
    const client = createClient({ publicClient: createPublicClient({ transport: http(url.href, { retryCount: 0 }) }), registry });
    let report;
    try {
      report = await client.auditRecords({ modelId: model as Hex | undefined, fromBlock: from === undefined ? undefined : BigInt(from) });
    } catch (err) {
      if (err instanceof ZkinferError) throw new InputError(err.message, { cause: err });
      throw err;
    }
    return { exitCode: EXIT.ok, json: auditReportJson(registry, report), text: auditReportText(registry, report) };
  },
};
