// /metrics in Prometheus text format: queue depth per model and state (read from Redis at each
// scrape), and, for the jobs this API node saw finish (through BullMQ's queue events, whichever
// worker proved them), counters, a proofs-per-second gauge over the last minute, and a histogram
// of prove seconds.
import type { ProofJobResult } from "./jobs.js";

const BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const RATE_WINDOW_MS = 60_000;

export interface QueueDepth {
  model: string;
  counts: Record<string, number>;
}

export class ServiceMetrics {
  private completed = new Map<string, number>();
  private failed = new Map<string, number>();
  private buckets = new Map<string, number[]>();
  private sums = new Map<string, number>();
  private recent: number[] = [];

  completedJob(model: string, result: ProofJobResult | undefined, now = Date.now()): void {
    this.completed.set(model, (this.completed.get(model) ?? 0) + 1);
    this.recent.push(now);
    if (!result) return;
    const seconds = result.timingsMs.prove / 1000;
    const counts = this.buckets.get(model) ?? new Array<number>(BUCKETS.length + 1).fill(0);
    const bucket = BUCKETS.findIndex((le) => seconds <= le); // counts per bucket; render() sums them up
    if (bucket >= 0) counts[bucket]++;
    counts[BUCKETS.length]++;
    this.buckets.set(model, counts);
    this.sums.set(model, (this.sums.get(model) ?? 0) + seconds);
  }

  failedJob(model: string): void {
    this.failed.set(model, (this.failed.get(model) ?? 0) + 1);
  }

  render(depths: readonly QueueDepth[], now = Date.now()): string {
    this.recent = this.recent.filter((t) => now - t <= RATE_WINDOW_MS);
    const out: string[] = [];
    const label = (model: string, extra = "") => `{model="${model.replace(/["\\\n]/g, "_")}"${extra}}`;
    out.push("# HELP zkinfer_queue_jobs Jobs in the queue of each model, by state.", "# TYPE zkinfer_queue_jobs gauge");
    for (const { model, counts } of depths) for (const [state, n] of Object.entries(counts)) out.push(`zkinfer_queue_jobs${label(model, `,state="${state}"`)} ${n}`);
    out.push("# HELP zkinfer_proofs_completed_total Proof jobs completed since this API node started.", "# TYPE zkinfer_proofs_completed_total counter");
    for (const { model } of depths) out.push(`zkinfer_proofs_completed_total${label(model)} ${this.completed.get(model) ?? 0}`);
    out.push("# HELP zkinfer_proofs_failed_total Proof jobs failed since this API node started.", "# TYPE zkinfer_proofs_failed_total counter");
    for (const { model } of depths) out.push(`zkinfer_proofs_failed_total${label(model)} ${this.failed.get(model) ?? 0}`);
    out.push("# HELP zkinfer_proofs_per_second Proofs completed per second over the last minute, all models.", "# TYPE zkinfer_proofs_per_second gauge");
    out.push(`zkinfer_proofs_per_second ${(this.recent.length / (RATE_WINDOW_MS / 1000)).toFixed(4)}`);
    out.push("# HELP zkinfer_prove_seconds Time a worker spent proving a job (witness excluded).", "# TYPE zkinfer_prove_seconds histogram");
    for (const { model } of depths) {
      const counts = this.buckets.get(model) ?? new Array<number>(BUCKETS.length + 1).fill(0);
      BUCKETS.forEach((le, i) => out.push(`zkinfer_prove_seconds_bucket${label(model, `,le="${le}"`)} ${counts.slice(0, i + 1).reduce((a, b) => a + b, 0)}`));
      out.push(`zkinfer_prove_seconds_bucket${label(model, ',le="+Inf"')} ${counts[BUCKETS.length]}`);
      out.push(`zkinfer_prove_seconds_sum${label(model)} ${(this.sums.get(model) ?? 0).toFixed(3)}`);
      out.push(`zkinfer_prove_seconds_count${label(model)} ${counts[BUCKETS.length]}`);
    }
    return `${out.join("\n")}\n`;
  }
}
