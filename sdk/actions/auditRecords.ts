// Everything an auditor asks of a registry in one read: each model (or one, or one owner's) with its
// versions (verifier, pinned code hash, dev-SRS flag) and all its records, from the events and the
// stored records. Pages through listModels and listRecords.
import { getAddress, type Address, type Hex } from "viem";
import type { ZkinferClientBase } from "../internal/client.js";
import type { InferenceRecord, ModelInfo, ModelVersion } from "../records.js";
import { getModel } from "./getModel.js";
import { getModelVersion } from "./getModelVersion.js";
import { listModels } from "./listModels.js";
import { listRecords } from "./listRecords.js";

export interface AuditRecordsParameters {
  /** One model; all models of the registry when absent. */
  modelId?: Hex;
  /** Only the models this account owns. */
  owner?: Address;
  fromBlock?: bigint;
}

export interface AuditedModel {
  model: ModelInfo;
  /** Every version of the model, oldest first, with how many of the listed records it checked. */
  versions: (ModelVersion & { recordCount: number })[];
  records: InferenceRecord[];
}

export interface AuditRecordsReturnType {
  models: AuditedModel[];
}

export async function auditRecords(client: ZkinferClientBase, { modelId, owner, fromBlock }: AuditRecordsParameters = {}): Promise<AuditRecordsReturnType> {
  const ids: Hex[] = [];
  if (modelId) {
    ids.push(modelId);
  } else {
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const page: Awaited<ReturnType<typeof listModels>> = await listModels(client, { offset });
      ids.push(...page.modelIds);
      offset = page.nextOffset;
    }
  }
  const toBlock = await client.backend.blockNumber();
  const models: AuditedModel[] = [];
  for (const id of ids) {
    const model = await getModel(client, { modelId: id });
    if (owner !== undefined && getAddress(model.owner) !== getAddress(owner)) continue;
    const start = fromBlock ?? model.registeredAtBlock;
    const records: InferenceRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRecords(client, { modelId: id, fromBlock: start, toBlock, cursor });
      records.push(...page.records);
      cursor = page.cursor;
    } while (cursor);
    const versions = await Promise.all(
      model.versions.map(async (version) => ({
        ...(await getModelVersion(client, { version })),
        recordCount: records.filter((r) => r.version === version).length,
      })),
    );
    models.push({ model, versions, records });
  }
  return { models };
}
