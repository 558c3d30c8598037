// One record: everything the registry holds and logs about it, its transaction, and "Verify in this
// browser".
import type { Hex } from "viem";
import { modelSummary, outputValues, type Chain } from "../chain.js";
import { append, fields, h, mono } from "../dom.js";
import { INSECURE, inputOf, time } from "../format.js";
import { verifyRecord, type VerifyOutcome } from "../verify.js";

function outcomeView(outcome: VerifyOutcome): HTMLElement[] {
  return [
    h("p", { class: `verdict ${outcome.status}`, "data-testid": "verify-result", "data-status": outcome.status }, outcome.summary),
    h(
      "ol",
      { class: "steps", "data-testid": "verify-steps" },
      outcome.steps.map((s) => h("li", { class: s.ok ? "ok" : "fail" }, h("strong", {}, `${s.ok ? "✓" : "✗"} ${s.label}: `), s.detail)),
    ),
  ];
}

export async function recordPage(chain: Chain, main: HTMLElement, recordId: Hex): Promise<void> {
  main.append(h("p", { class: "status", role: "status", "data-testid": "loading" }, "Reading the record…"));
  const record = await chain.client.getRecord({ recordId });
  const summary = await modelSummary(chain, record.modelId);
  const version = summary.versions.find((v) => v.version === record.version) ?? (await chain.client.getModelVersion({ version: record.version }));
  const values = await outputValues(chain, summary.model, record).catch(() => undefined);
  const receipt = await chain.publicClient.getTransactionReceipt({ hash: record.transactionHash });

  const result = h("div", { "aria-live": "polite", "data-testid": "verify-panel" });
  const keyInput = h("input", { id: "vk-file", type: "file", accept: ".bin,application/octet-stream", "data-testid": "vk-file" });
  const button = h("button", { type: "button", "data-testid": "verify-button" }, "Verify in this browser");
  button.addEventListener("click", () => {
    void (async () => {
      button.disabled = true;
      result.replaceChildren(h("p", { role: "status", "data-testid": "verify-running" }, "Verifying: fetching the transaction, checking the proof and the verifier's code…"));
      try {
        const file = keyInput.files?.[0];
        const uploaded = file ? new Uint8Array(await file.arrayBuffer()) : undefined;
        result.replaceChildren(...outcomeView(await verifyRecord(chain, record, version, uploaded)));
      } catch (err) {
        result.replaceChildren(...outcomeView({ status: "error", summary: `The check could not run: ${(err as Error).message.split("\n")[0]}`, steps: [] }));
      } finally {
        button.disabled = false;
      }
    })();
  });

  main.replaceChildren();
  append(main, [
    h("p", {}, h("a", { href: `#/model/${record.modelId}` }, "← records of this model")),
    h("h1", {}, "Record"),
    record.insecureDevSrs && h("p", { class: "banner warn", role: "alert", "data-testid": "dev-srs-warning" }, `${INSECURE}. This record proves nothing.`),
    fields("record-fields", [
      ["record id", mono(record.id), "record-id"],
      ["model", h("a", { href: `#/model/${record.modelId}` }, mono(record.modelId))],
      ["position", `record ${record.seq} of the model (counting from 0)`, "record-seq"],
      ["outputs", (values ?? record.outputs.map(String)).join(", "), "record-outputs"],
      ["outputs (field elements)", record.outputs.map(String).join(", ")],
      ["time", time(record.timestamp), "record-time"],
      ["submitter", mono(record.submitter), "record-submitter"],
      ["input digest", mono(inputOf(record))],
      ["public-input digest", mono(record.publicInputDigest)],
      ["output digest", mono(record.outputHash)],
      ["reference", mono(record.reference)],
      ["nonce", String(record.nonce)],
      ["version", `${record.version}${version.insecureDevSrs ? " (dev SRS)" : ""}`, "record-version"],
      ["verifier", mono(record.verifier)],
      ["pinned code hash", mono(record.codeHash)],
      ["transaction", mono(record.transactionHash), "record-tx"],
      ["block", `${record.blockNumber} (log ${record.logIndex}; block and transaction are the node's word)`],
      ["gas used by the transaction", String(receipt.gasUsed)],
    ]),
    values === undefined && h("p", { class: "note" }, "Outputs are shown as field elements: the model's key layout (for the scales) is not at hand."),
    h(
      "section",
      { class: "card", "aria-labelledby": "verify-heading" },
      h("h2", { id: "verify-heading" }, "Verify in this browser"),
      h(
        "p",
        {},
        "Takes the proof from the calldata of the submitting transaction, checks it with zkinfer's off-chain verifier running in this page, and compares the code at the verifier's address with the code hash the registry pinned. The verdict is computed here from what the RPC node returns; the key file is used only if it hashes to the key digest the registry holds.",
      ),
      h("p", { class: "field" }, h("label", { for: "vk-file" }, "Verification key (vk.bin), if the explorer does not serve it: "), keyInput),
      button,
      result,
    ),
  ]);
}
