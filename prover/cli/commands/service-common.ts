// Options and error mapping shared by `zkinfer serve` and `zkinfer worker`. The service's code is
// imported when one of them runs, so other commands never load Fastify or BullMQ.
import type { OptionSpec, OptionValues } from "../command.js";
import { InputError, UsageError } from "../errors.js";

export const serviceOptions: Record<string, OptionSpec> = {
  artifacts: { type: "string", multiple: true, valueName: "<dir>", description: "a model directory made by `zkinfer setup` (repeatable); its base name is the model's id" },
  "lock-seconds": {
    type: "string",
    valueName: "<s>",
    description: "a proving job's lock lifetime: a job whose worker died goes back to the queue after this (default 30)",
  },
  retention: { type: "string", valueName: "<s>", description: "how long finished jobs (proofs, errors) stay in Redis (default 86400)" },
};

export function artifactsOption(values: OptionValues): string[] {
  const dirs = (values.artifacts as string[] | undefined) ?? [];
  if (dirs.length === 0) throw new UsageError("needs at least one --artifacts <dir> (a model directory made by `zkinfer setup`)");
  return dirs;
}

/** A positive number option in seconds, as milliseconds; undefined when not given. */
export function secondsOption(values: OptionValues, name: string): number | undefined {
  const raw = values[name] as string | undefined;
  if (raw === undefined) return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--${name} must be a positive number of seconds, got "${raw}"`);
  return Math.round(s * 1000);
}

export function countOption(values: OptionValues, name: string, fallback: number): number {
  const raw = values[name] as string | undefined;
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

/** Runs `f`, turning the service's setup errors (no redis-server, unreachable Redis, bad keys file) into exit 2. */
export async function asInputErrors<T>(f: () => Promise<T>): Promise<T> {
  const { ServiceSetupError } = await import("../../../service/errors.js");
  try {
    return await f();
  } catch (err) {
    if (err instanceof ServiceSetupError) throw new InputError(err.message, { cause: err });
    throw err;
  }
}
