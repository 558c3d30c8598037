// npx hardhat audit [--model <id>] [--owner <addr>] [--registry <addr>] [--artifacts <dir>] [--check <dir> [--srs <file.ptau>]] [--json]
// Lists the registry's records (of every model when none is given, or one owner's) with their ids,
// versions, submitters, outputs and dev-SRS warnings (outputs as numbers with the scales of --artifacts,
// --check or the model directories recorded for the network); with --check, compares the pinned verifier code with the code
// generated from the model directory, with a verdict per model, and with --srs also checks the
// directory's public circuit against its vk.bin; fails on a mismatch. The report, the circuit
// section and the verdicts are `zkinfer audit`'s (audit-report.ts, prover/cli/circuit-check.ts).
import { resolve } from "node:path";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { auditCircuitSection } from "../../../prover/cli/circuit-check.js";
import { auditReportJson, auditReportText } from "../../audit-report.js";
import { InvalidArgumentError } from "../../errors.js";
import { compileModelVerifier, loadModelArtifacts } from "../model-artifacts.js";
import { asTask, connect, PLUGIN_ID } from "../connect.js";
import { deploymentsPath, readDeployments } from "../deployments.js";
import { parseAddress } from "./deploy-verifier.js";
import { parseModelId } from "./submit-proof.js";

interface Args {
  model?: string;
  owner?: string;
  registry?: string;
  check?: string;
  artifacts?: string;
  srs?: string;
  json: boolean;
}

export default async function auditTask(args: Args, hre: HardhatRuntimeEnvironment): Promise<void> {
  await asTask(async () => {
    const { client, network, chainId } = await connect(hre);
    const deployments = await readDeployments(hre.config.paths.root, network, chainId);
    const registry = args.registry !== undefined ? parseAddress(args.registry, "--registry") : deployments.registry;
    if (!registry) throw new InvalidArgumentError(`no registry recorded for network "${network}" in ${deploymentsPath(hre.config.paths.root, network)}: pass --registry`);
    const modelId = args.model === undefined ? undefined : parseModelId(args.model);
    const owner = args.owner === undefined ? undefined : parseAddress(args.owner, "--owner");
    const circuit = await auditCircuitSection(args.check, args.srs);
    const artifacts = args.check === undefined ? undefined : await loadModelArtifacts(resolve(args.check));
    const layouts = [...(artifacts ? [artifacts] : []), ...(args.artifacts === undefined ? [] : [await loadModelArtifacts(resolve(args.artifacts))])].map((a) => a.publicInputLayout);
    // The model directories deploy-verifier recorded give the scales too, when they are still there
    // (a layout is only used for a model whose layout digest it has).
    for (const dir of new Set(deployments.models.map((m) => m.artifacts))) {
      const recorded = await loadModelArtifacts(dir).catch(() => undefined);
      if (recorded) layouts.push(recorded.publicInputLayout);
    }
    const bound = client.withRegistry(registry);
    const report = await bound.auditRecords({ modelId, owner });
    const check = artifacts && (await bound.checkVerifierCode({ codeHash: compileModelVerifier(artifacts).codeHash, vkDigest: artifacts.vkDigest, modelId, owner, report }));
    console.log(
      args.json
        ? JSON.stringify({ ...(auditReportJson(registry, report, check, { layouts }) as object), ...circuit.json }, null, 2)
        : [auditReportText(registry, report, check, { layouts }), ...circuit.lines].join("\n"),
    );
    const failures = [
      ...(check && !check.ok ? [`the verifier code pinned in the registry is not the code generated from ${args.check}`] : []),
      ...(circuit.failed ? [`the key's circuit is not shown to be the one ${args.check}'s public-circuit.bin publishes`] : []),
    ];
    if (failures.length) throw new HardhatPluginError(PLUGIN_ID, `${failures.join("; ")} (MISMATCH above)`);
  });
}
