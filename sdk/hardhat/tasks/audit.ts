// npx hardhat audit [--model <id>] [--registry <addr>] [--json]
// Lists the registry's records (of every model when none is given) with their ids.
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { auditReportJson, auditReportText } from "../../audit-report.js";
import { InvalidArgumentError } from "../../errors.js";
import { asTask, connect } from "../connect.js";
import { deploymentsPath, readDeployments } from "../deployments.js";
import { parseAddress } from "./deploy-verifier.js";
import { parseModelId } from "./submit-proof.js";

interface Args {
  model?: string;
  registry?: string;
  json: boolean;
}

export default async function auditTask(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  await asTask(async () => {
    const { client, network, chainId } = await connect(hre);
    const deployments = await readDeployments(hre.config.paths.root, network, chainId);
    const registry = args.registry !== undefined ? parseAddress(args.registry, "--registry") : deployments.registry;
    if (!registry) throw new InvalidArgumentError(`no registry recorded for network "${network}" in ${deploymentsPath(hre.config.paths.root, network)}: pass --registry`);
    const report = await client.withRegistry(registry).auditRecords({ modelId: args.model === undefined ? undefined : parseModelId(args.model) });
    console.log(args.json ? JSON.stringify(auditReportJson(registry, report), null, 2) : auditReportText(registry, report));
  });
}
