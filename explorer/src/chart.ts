// Records per day and gas per record of a model, drawn with uPlot (canvas; the numbers are also
// given as a table for screen readers).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Hex } from "viem";
import type { InferenceRecord } from "../../sdk/index.js";
import type { Chain } from "./chain.js";
import { h } from "./dom.js";

export interface DayStat {
  day: number; // unix seconds at 00:00 UTC
  records: number;
  gasPerRecord: number;
}

/** Per UTC day: the records, and the mean gas per record (a batch's gas shared among its records). */
export async function dayStats(chain: Chain, records: InferenceRecord[]): Promise<DayStat[]> {
  const perTx = new Map<Hex, number>();
  for (const r of records) perTx.set(r.transactionHash, (perTx.get(r.transactionHash) ?? 0) + 1);
  const gas = new Map<Hex, bigint>();
  await Promise.all([...perTx.keys()].map(async (hash) => gas.set(hash, (await chain.publicClient.getTransactionReceipt({ hash })).gasUsed)));
  const days = new Map<number, { records: number; gas: number }>();
  for (const r of records) {
    const day = Math.floor(Number(r.timestamp) / 86400) * 86400;
    const d = days.get(day) ?? { records: 0, gas: 0 };
    d.records += 1;
    d.gas += Number(gas.get(r.transactionHash)!) / perTx.get(r.transactionHash)!;
    days.set(day, d);
  }
  return [...days.entries()].sort(([a], [b]) => a - b).map(([day, d]) => ({ day, records: d.records, gasPerRecord: Math.round(d.gas / d.records) }));
}

export function chart(stats: DayStat[]): HTMLElement {
  const box = h("div", { class: "chart", "data-testid": "chart", role: "img", "aria-label": "Records per day and mean gas per record" });
  const table = h(
    "table",
    { class: "sr-only" },
    h("caption", {}, "Records per day"),
    h("tr", {}, h("th", { scope: "col" }, "day"), h("th", { scope: "col" }, "records"), h("th", { scope: "col" }, "gas per record")),
    stats.map((s) => h("tr", {}, h("td", {}, new Date(s.day * 1000).toISOString().slice(0, 10)), h("td", {}, s.records), h("td", {}, s.gasPerRecord))),
  );
  const figure = h("figure", {}, box, h("figcaption", {}, "Records per day (bars) and mean gas per record (line), of the records loaded"), table);
  if (stats.length === 0) return figure;
  // Every day from the day before the first to the day after the last (at most a year of them), days
  // without records at zero, so one day still has an axis and quiet days show as gaps.
  const DAY = 86400;
  const first = Math.max(stats[0].day, stats[stats.length - 1].day - 365 * DAY) - DAY;
  const byDay = new Map(stats.map((s) => [s.day, s]));
  const xs: number[] = [];
  for (let d = first; d <= stats[stats.length - 1].day + DAY; d += DAY) xs.push(d);
  const opts: uPlot.Options = {
    width: 640,
    height: 220,
    scales: { x: { time: true }, gas: {} },
    axes: [{}, { label: "records" }, { scale: "gas", side: 1, label: "gas / record", size: 80, grid: { show: false } }],
    series: [
      {},
      { label: "records", stroke: "#2f6fad", fill: "rgba(47,111,173,0.3)", paths: uPlot.paths.bars!({ size: [0.6, 40] }) },
      { label: "gas per record", scale: "gas", stroke: "#c0612b", width: 2, points: { show: true, size: 6 } },
    ],
  };
  const data: uPlot.AlignedData = [xs, xs.map((d) => byDay.get(d)?.records ?? 0), xs.map((d) => byDay.get(d)?.gasPerRecord ?? null)];
  requestAnimationFrame(() => new uPlot(opts, data, box));
  return figure;
}
