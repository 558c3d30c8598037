// The transcript order of a proof (docs/protocol.md §5), shared by prover and verifier. With the
// schedule attached, the transcript refuses any challenge drawn before its phase's absorbs.
import type { ScheduleStep } from "../transcript/index.js";
import { Transcript } from "../transcript/index.js";
import { PHASES, PROTOCOL } from "./layout.js";

/** Points the proof opens at (ζ and ωζ); the SHPLONK opening has two witnesses, W and W′, whatever their number. */
export const OPENING_POINTS = 2;
export const OPENING_WITNESSES = 2;

export function proofSchedule(): ScheduleStep[] {
  const steps: ScheduleStep[] = [
    { op: "bytes", label: "vk" },
    { op: "scalars", label: "public-inputs" },
  ];
  for (const phase of PHASES) {
    steps.push({ op: "g1", label: phase.label }, { op: "challenge", label: phase.label });
  }
  steps.push(
    { op: "g1", label: "quotient" },
    { op: "challenge", label: "zeta" },
    { op: "scalars", label: "evals" },
  );
  // The SHPLONK opening (docs/protocol.md §6.4): (γ, γ′), W, z, W′.
  steps.push(
    { op: "challenge", label: "shplonk-gamma" },
    { op: "g1", label: "shplonk-w" },
    { op: "challenge", label: "shplonk-z" },
    { op: "g1", label: "shplonk-w2" },
  );
  return steps;
}

/** A transcript for one proof, bound to the verification key and the public inputs. */
export function proofTranscript(vkDigest: Uint8Array, publicInputs: readonly bigint[]): Transcript {
  const t = new Transcript(PROTOCOL, { schedule: proofSchedule() });
  t.absorbBytes("vk", vkDigest);
  t.absorbScalars("public-inputs", publicInputs);
  return t;
}
