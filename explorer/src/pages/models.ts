// The models page: every model of the registry with its versions (verifier, pinned code hash, key
// digest, dev-SRS warning) and record count.
import { allModels, modelSummary, type Chain, type ModelSummary } from "../chain.js";
import { fields, h, mono } from "../dom.js";
import { INSECURE } from "../format.js";

export function versionsTable(s: ModelSummary): HTMLTableElement {
  return h(
    "table",
    { class: "versions", "data-testid": "versions" },
    h("caption", {}, "Versions (append-only; each record names the version that checked it)"),
    h("tr", {}, ["version", "verifier", "pinned code hash", "key digest", "first block", "SRS"].map((c) => h("th", { scope: "col" }, c))),
    s.versions.map((v) =>
      h(
        "tr",
        { "data-testid": "version-row" },
        h("td", {}, String(v.version), v.version === s.model.currentVersion ? " (current)" : ""),
        h("td", {}, mono(v.verifier)),
        h("td", {}, mono(v.codeHash)),
        h("td", {}, mono(v.vkDigest)),
        h("td", {}, String(v.firstBlock)),
        h("td", {}, v.insecureDevSrs ? h("strong", { class: "warn", "data-testid": "dev-srs-warning" }, INSECURE) : "Powers of Tau"),
      ),
    ),
  );
}

export function modelCard(s: ModelSummary, headingLevel: "h2" | "h1"): HTMLElement {
  const { model } = s;
  const insecure = s.versions.some((v) => v.insecureDevSrs);
  return h(
    "section",
    { class: "card", "data-testid": "model", "data-model-id": model.id, "aria-labelledby": `m-${model.id}` },
    h(headingLevel, { id: `m-${model.id}` }, headingLevel === "h2" ? h("a", { href: `#/model/${model.id}`, "data-testid": "model-link" }, `Model ${model.id}`) : `Model ${model.id}`),
    insecure && h("p", { class: "banner warn", role: "alert" }, `${INSECURE}. Its records say which output a dev-SRS proof claimed; they vouch for nothing.`),
    model.deprecated && h("p", { class: "banner" }, "Deprecated: the registry takes no more submissions for this model."),
    fields("model-fields", [
      ["owner", mono(model.owner), "model-owner"],
      ["metadata URI", model.metadataURI || "(none)", "model-metadata"],
      ["key digest", mono(model.vkDigest)],
      ["records", String(s.recordCount), "model-record-count"],
      ["public inputs", `${model.layout.count} (input ${model.layout.inputOffset}+${model.layout.inputCount}, output ${model.layout.outputOffset}+${model.layout.outputCount})`],
      ["registered at block", String(model.registeredAtBlock)],
    ]),
    versionsTable(s),
  );
}

export async function modelsPage(chain: Chain, main: HTMLElement): Promise<void> {
  main.append(h("h1", {}, "Models"), h("p", { class: "status", "data-testid": "loading", role: "status" }, "Reading the registry…"));
  const ids = await allModels(chain);
  const summaries = await Promise.all(ids.map((id) => modelSummary(chain, id)));
  main.replaceChildren(
    h("h1", {}, "Models"),
    h("p", {}, `${ids.length} model${ids.length === 1 ? "" : "s"} in registry `, mono(chain.config.registry), ` on chain ${chain.chainId}.`),
    summaries.length === 0 ? h("p", { "data-testid": "no-models" }, "No model is registered yet.") : h("div", { "data-testid": "models" }, summaries.map((s) => modelCard(s, "h2"))),
  );
}
