// Loading and full validation of snarkjs .ptau files (Perpetual Powers of Tau, Hermez), plain
// or prepared for phase 2.
import { getEngine } from "../../verifier/engine/bn254.js";
import { checkPowers, type CheckOptions } from "./checks.js";
import { SrsError } from "./errors.js";
import { G1_BYTES, G2_BYTES, PtauFile, SECTION, type PtauSection } from "./ptau-file.js";
import { checkSize, makeSrs, type Srs } from "./srs.js";

export type { PtauSection } from "./ptau-file.js";

/** What `zkinfer srs check` reports about a .ptau file. */
export interface PtauReport {
  path: string;
  curve: "BN254";
  /** The file holds 2^power·2 − 1 G1 powers and 2^power G2 powers. */
  power: number;
  /** Power of the ceremony the file was cut from (≥ power). */
  ceremonyPower: number;
  /** Whether it carries the Lagrange sections of `snarkjs powersoftau prepare phase2`. */
  prepared: boolean;
  /** Number of contributions recorded in the file, when it has a contributions section. */
  contributions?: number;
  /** Every section with its size and, for point sections, its number of points. */
  sections: PtauSection[];
  /** How many powers the validation covered: all G1 powers, and [1]₂, [τ]₂. */
  checked: { g1Powers: number; g2Powers: number };
  valid: boolean;
  /** Why it is invalid (empty when valid). */
  reasons: string[];
}

/** Smallest file power whose 2^(power+1) − 1 G1 powers cover `size`. */
function powerFor(size: number): number {
  let power = 1;
  while (2 ** (power + 1) - 1 < size) power++;
  return power;
}

async function readG2Pair(file: PtauFile): Promise<{ g2One: Uint8Array; g2Tau: Uint8Array }> {
  const both = await file.readPoints(SECTION.tauG2, 0, 2);
  return { g2One: both.slice(0, G2_BYTES), g2Tau: both.slice(G2_BYTES) };
}

function checkCovers(file: PtauFile, size: number, purpose = "requested"): void {
  const available = file.section(SECTION.tauG1).points ?? 0;
  if (size > available) {
    throw new SrsError(
      "format",
      `${file.path} holds ${available} G1 powers (power ${file.power}), fewer than the ${size} ${purpose}; ` +
        `use a Powers-of-Tau file of power ${powerFor(size)} or more`,
    );
  }
}

/**
 * Checks from the file's header and section table alone (no point is read) that a .ptau file holds
 * at least `size` G1 powers (`purpose`: what needs them, for the message); throws {@link SrsError}
 * as loadPtau would. Cheap, so a caller can refuse work sized by untrusted input (a key's table)
 * that the SRS could never check.
 */
export async function checkPtauCovers(path: string, size: number, purpose?: string): Promise<void> {
  checkSize(size);
  const file = await PtauFile.open(path);
  try {
    checkCovers(file, size, purpose);
  } finally {
    await file.close();
  }
}

/**
 * Loads the first `size` G1 powers and [1]₂, [τ]₂ from a .ptau file, streaming from disk, and
 * validates them (point checks, generators, [τ]₂ against [τ]₁, and one random-linear-combination
 * pairing check over all loaded powers). Throws {@link SrsError}.
 */
export async function loadPtau(path: string, opts: { size: number; onProgress?: CheckOptions["onProgress"] }): Promise<Srs> {
  const { size } = opts;
  checkSize(size);
  const file = await PtauFile.open(path);
  try {
    checkCovers(file, size);
    const c = await getEngine();
    const { g2One, g2Tau } = await readG2Pair(file);
    const tau1 = await file.readPoints(SECTION.tauG1, 1, 1);
    const g1 = new Uint8Array(size * G1_BYTES);
    const reasons = await checkPowers(
      c,
      {
        total: size,
        read: (first, count) => file.readPoints(SECTION.tauG1, first, count, g1, first * G1_BYTES),
        g2One,
        g2Tau,
        tau1,
      },
      { failFast: true, onProgress: opts.onProgress },
    );
    if (reasons.length > 0) throw new SrsError("invalid", `${path}: invalid SRS: ${reasons.join("; ")}`);
    const srs = makeSrs(c, { g1, g2OneEngine: g2One, g2TauEngine: g2Tau, insecure: false, source: `${path} (power ${file.power})` });
    if (file.prepared) srs.lagrangeBasis = (logSize) => readLagrangeBasis(path, logSize);
    return srs;
  } finally {
    await file.close();
  }
}

/**
 * The Lagrange basis of the domain of 2^logSize from a prepared file's lagrangeTauG1 section,
 * which holds one block per domain size 2^0, 2^1, …: the block of 2^k starts at point 2^k − 1.
 * Undefined when the file has no block that large.
 */
async function readLagrangeBasis(path: string, logSize: number): Promise<Uint8Array | undefined> {
  const file = await PtauFile.open(path);
  try {
    const n = 2 ** logSize;
    const section = file.section(SECTION.lagrangeTauG1);
    if (2 * n - 1 > (section.points ?? 0)) return undefined;
    return file.readPoints(SECTION.lagrangeTauG1, n - 1, n);
  } finally {
    await file.close();
  }
}

/**
 * Validates a whole .ptau file: its structure (throws {@link SrsError} of kind "format" when it is
 * unreadable or malformed) and every G1 power plus [1]₂, [τ]₂ (reported in `valid`/`reasons`).
 * Streams the G1 powers in chunks, so memory stays small whatever the file's power.
 */
export async function checkPtau(path: string, opts: { onProgress?: CheckOptions["onProgress"] } = {}): Promise<PtauReport> {
  const file = await PtauFile.open(path);
  try {
    const tauG1 = file.section(SECTION.tauG1);
    const total = tauG1.points ?? 0;
    const c = await getEngine();
    const { g2One, g2Tau } = await readG2Pair(file);
    const chunk = 1 << 16;
    const buffer = new Uint8Array(Math.min(chunk, total) * G1_BYTES);
    const reasons = await checkPowers(
      c,
      { total, read: (first, count) => file.readPoints(SECTION.tauG1, first, count, buffer), g2One, g2Tau },
      { chunk, onProgress: opts.onProgress },
    );
    return {
      path,
      curve: "BN254",
      power: file.power,
      ceremonyPower: file.ceremonyPower,
      prepared: file.prepared,
      contributions: await readContributionCount(file),
      sections: file.sections.map((s) => ({ ...s })),
      checked: { g1Powers: total, g2Powers: 2 },
      valid: reasons.length === 0,
      reasons,
    };
  } finally {
    await file.close();
  }
}

async function readContributionCount(file: PtauFile): Promise<number | undefined> {
  const s = file.sections.find((x) => x.id === SECTION.contributions);
  if (!s || s.bytes < 4) return undefined;
  const bytes = await file.read(s.offset, 4);
  return new DataView(bytes.buffer).getUint32(0, true);
}
