// The models a service offers: one per artifacts directory (made by `zkinfer compile` / `setup`),
// addressed by the directory's base name or by its verification-key digest. The API node reads
// only the manifest and vk.bin (to check inputs); a worker also loads pk.bin, once, and keeps it.
import { basename, resolve } from "node:path";
import type { BuiltinCircuit, CircuitParams } from "../prover/circuits/index.js";
import type { ProvingKey } from "../prover/plonkish/index.js";
import type { ServiceModel } from "../sdk/prover-client.js";
import { hex, layOutCircuit, loadManifest, loadProvingKey, loadVerificationKey, modelPath, sameTable } from "../prover/cli/model-dir.js";
import { ServiceSetupError } from "./errors.js";

export interface ServedModel {
  /** The artifacts directory's base name. */
  id: string;
  /** 0x-prefixed hex of the verification-key digest: the queue a job of this model goes to. */
  digest: `0x${string}`;
  dir: string;
  circuit: BuiltinCircuit;
  params: CircuitParams;
  logRows: number;
  publicInputCount: number;
  insecure: boolean;
}

/** What `GET /v1/models` says of a model: the SDK's prover client reads the same type. */
export type ModelInfo = ServiceModel;

export async function loadServedModel(dir: string): Promise<ServedModel> {
  const loaded = await loadManifest(dir);
  const { vk, digest } = await loadVerificationKey(dir);
  return {
    id: basename(resolve(dir)),
    digest: hex(digest),
    dir,
    circuit: loaded.circuit,
    params: loaded.params,
    logRows: vk.logRows,
    publicInputCount: vk.publicInputCount,
    insecure: vk.insecure,
  };
}

export function modelInfo(m: ServedModel): ModelInfo {
  return { id: m.id, digest: m.digest, circuit: m.circuit.name, input: m.circuit.describeInput(m.params), logRows: m.logRows, publicInputCount: m.publicInputCount, insecure: m.insecure };
}

/** The input of a request, checked as `zkinfer prove` checks input.json; throws CircuitInputError. */
export function parseModelInput(model: ServedModel, inputData: unknown): bigint[] {
  return model.circuit.parseInput(model.params, inputData);
}

export class ModelCatalog {
  readonly models: readonly ServedModel[];
  private readonly byName = new Map<string, ServedModel>();

  constructor(models: ServedModel[]) {
    this.models = models;
    for (const m of models) {
      const same = this.byName.get(m.id);
      if (same) throw new ServiceSetupError(`two artifacts directories have the base name "${m.id}" (${same.dir} and ${m.dir}); a model is addressed by its directory's base name, so rename one`);
      this.byName.set(m.id, m);
    }
    for (const m of models) {
      const same = this.byName.get(m.digest);
      if (same) throw new ServiceSetupError(`${same.dir} and ${m.dir} hold the same model (verification key ${m.digest}); give it once`);
      this.byName.set(m.digest, m);
    }
  }

  static async load(dirs: readonly string[]): Promise<ModelCatalog> {
    if (dirs.length === 0) throw new ServiceSetupError("no models: give at least one --artifacts <dir> (a directory made by `zkinfer setup`)");
    return new ModelCatalog(await Promise.all(dirs.map(loadServedModel)));
  }

  /** The model named by its id or its VK digest (hex, any case, 0x optional). */
  find(name: string): ServedModel | undefined {
    const direct = this.byName.get(name);
    if (direct) return direct;
    const digest = /^(0x)?[0-9a-fA-F]{64}$/.test(name) ? `0x${name.replace(/^0x/, "").toLowerCase()}` : undefined;
    return digest ? this.byName.get(digest) : undefined;
  }
}

/** A model with its proving key loaded once and kept for every job. */
export interface ResidentModel extends ServedModel {
  pk: ProvingKey;
}

/** Loads pk.bin and checks it against vk.bin and the manifest's layout, as `zkinfer prove` does, once. */
export async function loadResidentModel(dir: string): Promise<ResidentModel> {
  const model = await loadServedModel(dir);
  const pk = await loadProvingKey(dir);
  if (hex(pk.vkDigest) !== model.digest) {
    throw new ServiceSetupError(`${modelPath(dir, "pk")} and ${modelPath(dir, "vk")} come from different setups (verification key digests differ); run \`zkinfer setup\` again`);
  }
  const table = layOutCircuit({ manifest: { builtin: model.circuit.name, params: model.params }, circuit: model.circuit, params: model.params }).table;
  if (!sameTable(pk, table)) {
    throw new ServiceSetupError(`${dir}: the manifest does not lay out the circuit ${modelPath(dir, "pk")} was made for (was it edited after setup?); run \`zkinfer setup\` again`);
  }
  return { ...model, pk };
}
