// zkinfer/hardhat: the Hardhat 3 plugin with the tasks deploy-verifier, submit-proof and audit.
// Add it to `plugins` in hardhat.config.ts; deployments are recorded in deployments/<network>.json.
// Also what deploys from a model directory in Node (reads files, generates and compiles the
// verifier with solc), which the browser-safe zkinfer/sdk leaves out: deployModel and the artifacts.
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatPlugin } from "hardhat/types/plugins";

const optional = (name: string, description: string) => ({ name, description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined });

const zkinferPlugin: HardhatPlugin = {
  id: "zkinfer",
  tasks: [
    task("deploy-verifier", "Deploy a model's generated verifier, a registry if needed, and register the model")
      .addOption(optional("artifacts", "The model directory (vk.bin, vk.json) from `zkinfer setup`"))
      .addOption(optional("registry", "An InferenceRegistry to register in (default: the network's recorded one, else a new one)"))
      .addOption({ name: "metadataUri", description: "The model's metadata URI", type: ArgumentType.STRING, defaultValue: "" })
      .addFlag({ name: "redeploy", description: "Register a new model even if the network's recorded one of this key can be reused" })
      .addFlag({ name: "json", description: "Print the result as JSON" })
      .setAction(() => import("./tasks/deploy-verifier.js"))
      .build(),
    task("submit-proof", "Submit a proof file to the registry; prints the record id and gas used")
      .addOption(optional("artifacts", "The model directory the proof was made with"))
      .addOption(optional("proof", "The proof file (proof.json from `zkinfer prove`)"))
      .addOption(optional("registry", "The registry (default: the network's recorded one)"))
      .addOption(optional("model", "The model id (default: the recorded deployment of the model directory)"))
      .addFlag({ name: "json", description: "Print the result as JSON" })
      .setAction(() => import("./tasks/submit-proof.js"))
      .build(),
    task("audit", "List the registry's inference records, of every model or of one; --check compares the pinned verifier code with the artifacts'")
      .addOption(optional("model", "Only this model id"))
      .addOption(optional("owner", "Only the models this account owns (anyone can register a model under any key)"))
      .addOption(optional("check", "A model directory: regenerate its verifier and compare its code with every pinned version (fails on a mismatch)"))
      .addOption(optional("artifacts", "A model directory whose vk.json scales the outputs (default: the model directories recorded for the network)"))
      .addOption(optional("srs", "With --check: also check the directory's public-circuit.bin against its vk.bin with this .ptau (as `zkinfer check-circuit`)"))
      .addOption(optional("registry", "The registry (default: the network's recorded one)"))
      .addFlag({ name: "json", description: "Print the report as JSON" })
      .setAction(() => import("./tasks/audit.js"))
      .build(),
  ],
};

export default zkinferPlugin;
export { deployModel, type DeployModelParameters, type DeployModelReturnType } from "./deployModel.js";
export { loadModelArtifacts, compileModelVerifier, type ModelArtifacts } from "./model-artifacts.js";
