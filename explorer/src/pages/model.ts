// The records of one model: filters (submitter, input digest, time range), paging, a chart of records
// per day and gas per record, and live updates through watchRecords.
import { isAddress, type Hex } from "viem";
import type { InferenceRecord } from "../../../sdk/index.js";
import { modelSummary, outputValues, type Chain } from "../chain.js";
import { chart, dayStats } from "../chart.js";
import { h, mono } from "../dom.js";
import { inputOf, short, time } from "../format.js";
import { modelCard } from "./models.js";

const PAGE = 10;
/** Records read for the filters and the chart: the model's first this many (listRecords pages go oldest first); live updates add the newer. */
const MAX_LOADED = 2000;

interface Filters {
  submitter?: string;
  inputHash?: string;
  from?: number;
  to?: number;
}

function matches(r: InferenceRecord, f: Filters): boolean {
  if (f.submitter && r.submitter.toLowerCase() !== f.submitter.toLowerCase()) return false;
  if (f.inputHash && r.inputHash.toLowerCase() !== f.inputHash.toLowerCase()) return false;
  if (f.from !== undefined && Number(r.timestamp) < f.from) return false;
  if (f.to !== undefined && Number(r.timestamp) > f.to) return false;
  return true;
}

function input(id: string, label: string, attrs: Record<string, string>): HTMLElement {
  return h("p", { class: "field" }, h("label", { for: id }, label), h("input", { id, name: id, "data-testid": `filter-${id}`, ...attrs }));
}

export async function modelPage(chain: Chain, main: HTMLElement, modelId: Hex, signal: AbortSignal): Promise<void> {
  main.append(h("p", { class: "status", role: "status", "data-testid": "loading" }, "Reading the model and its records…"));
  // The count, the listing and the live watch meet at one block: the watch reports the records made
  // after it, counting them from the model's recordCount there. A recent block's state is on any
  // node (the newest record's block may be older than a node without archive keeps), and a record
  // made while the page loads is neither missed nor counted twice.
  const listedTo = await chain.publicClient.getBlockNumber();
  const summary = await modelSummary(chain, modelId, listedTo);
  const records: InferenceRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await chain.client.listRecords({ modelId, cursor, limit: 100, toBlock: listedTo });
    records.push(...page.records);
    cursor = page.cursor;
  } while (cursor !== undefined && records.length < MAX_LOADED);
  // Newest first.
  records.reverse();
  const outputs = new Map<string, number[] | undefined>();
  const valuesOf = async (r: InferenceRecord): Promise<number[] | undefined> => {
    if (!outputs.has(r.id)) outputs.set(r.id, await outputValues(chain, summary.model, r).catch(() => undefined));
    return outputs.get(r.id);
  };

  let filters: Filters = {};
  let pageNo = 0;
  const tbody = h("tbody", {});
  const pager = h("p", { class: "pager", "data-testid": "pager", "aria-live": "polite" });
  const chartBox = h("div", {});
  const live = h("p", { class: "status", role: "status", "data-testid": "live" }, "Watching for new records…");

  const render = async (): Promise<void> => {
    const shown = records.filter((r) => matches(r, filters));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    pageNo = Math.min(pageNo, pages - 1);
    const slice = shown.slice(pageNo * PAGE, (pageNo + 1) * PAGE);
    const rows = await Promise.all(
      slice.map(async (r) => {
        const values = await valuesOf(r);
        return h(
          "tr",
          { "data-testid": "record-row", "data-record-id": r.id },
          h("td", {}, time(r.timestamp)),
          h("td", {}, mono(short(r.submitter))),
          h("td", {}, mono(short(inputOf(r)))),
          h("td", { "data-testid": "record-outputs" }, (values ?? r.outputs.map(String)).join(", ")),
          h("td", {}, String(r.version), r.insecureDevSrs ? h("span", { class: "warn" }, " (dev SRS)") : ""),
          h("td", {}, h("a", { href: `#/record/${r.id}`, "data-testid": "record-link", "aria-label": `record ${r.id}` }, short(r.id))),
        );
      }),
    );
    tbody.replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: "6", "data-testid": "no-records" }, "No record matches."))]));
    pager.replaceChildren(
      h("button", { type: "button", "data-testid": "prev-page", disabled: pageNo === 0, onclick: () => ((pageNo -= 1), void render()) }, "Previous"),
      ` page ${pageNo + 1} of ${pages} (${shown.length} of ${records.length} records) `,
      h("button", { type: "button", "data-testid": "next-page", disabled: pageNo >= pages - 1, onclick: () => ((pageNo += 1), void render()) }, "Next"),
    );
    chartBox.replaceChildren(chart(await dayStats(chain, shown)));
  };

  const form = h(
    "form",
    { class: "filters", "aria-label": "Filter records", "data-testid": "filters" },
    input("submitter", "Submitter", { placeholder: "0x… address", autocomplete: "off" }),
    input("input", "Input digest", { placeholder: "0x… 32 bytes", autocomplete: "off" }),
    input("from", "From (UTC)", { type: "datetime-local" }),
    input("to", "To (UTC)", { type: "datetime-local" }),
    h("p", { class: "field" }, h("button", { type: "submit", "data-testid": "apply-filters" }, "Apply"), h("button", { type: "reset" }, "Clear")),
    h("p", { class: "error", role: "alert", "data-testid": "filter-error" }),
  );
  const read = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
  const utc = (v: string): number | undefined => (v ? Date.parse(`${v}Z`) / 1000 : undefined);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const error = form.querySelector("[data-testid=filter-error]")!;
    const submitter = read("submitter");
    const inputHash = read("input");
    if (submitter && !isAddress(submitter)) return void (error.textContent = "The submitter must be an address (0x and 40 hex digits).");
    if (inputHash && !/^0x[0-9a-fA-F]{64}$/.test(inputHash)) return void (error.textContent = "The input digest must be 0x and 64 hex digits.");
    error.textContent = "";
    filters = { submitter: submitter || undefined, inputHash: inputHash || undefined, from: utc(read("from")), to: utc(read("to")) };
    pageNo = 0;
    void render();
  });
  form.addEventListener("reset", () => {
    form.querySelector("[data-testid=filter-error]")!.textContent = "";
    filters = {};
    pageNo = 0;
    void render();
  });

  // listRecords pages are not counted against storage (auditRecords is the checked path): say when the node returned fewer.
  const missing = records.length < Math.min(summary.recordCount, MAX_LOADED);
  main.replaceChildren(
    modelCard(summary, "h1"),
    ...(missing ? [h("p", { class: "banner warn", role: "alert", "data-testid": "missing-records" }, `The node returned ${records.length} of the ${summary.recordCount} records the registry counts for this model.`)] : []),
    h("h2", { id: "records-heading" }, "Records"),
    form,
    live,
    h(
      "table",
      { class: "records", "data-testid": "records", "aria-labelledby": "records-heading" },
      h("thead", {}, h("tr", {}, ["time", "submitter", "input digest", "outputs", "version", "record"].map((c) => h("th", { scope: "col" }, c)))),
      tbody,
    ),
    pager,
    h("h2", {}, "Activity"),
    chartBox,
  );
  await render();

  // Live: records made after the ones read above.
  const unwatch = chain.client.watchRecords({
    modelId,
    fromBlock: listedTo + 1n,
    pollingIntervalMs: 2000,
    onRecords: (fresh) => {
      const known = new Set(records.map((r) => r.id.toLowerCase()));
      const added = fresh.filter((r) => !known.has(r.id.toLowerCase()));
      records.unshift(...added.reverse());
      const count = main.querySelector("[data-testid=model-record-count]");
      if (count) count.textContent = String(Number(count.textContent) + added.length);
      live.textContent = `${added.length} new record${added.length === 1 ? "" : "s"} at ${new Date().toISOString().slice(11, 19)} UTC`;
      void render();
    },
    onError: (err) => (live.textContent = `Live updates failed: ${err.message.split("\n")[0]}`),
  });
  signal.addEventListener("abort", unwatch);
}
