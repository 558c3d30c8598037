// Reader for snarkjs Powers-of-Tau (.ptau) files: the iden3 binary container ("ptau", version,
// a table of typed sections) with a header naming the curve and the power. Everything is read
// at offsets through a file handle so that large ceremony files are never held in memory.
import { open, type FileHandle } from "node:fs/promises";
import { P } from "../../verifier/engine/bn254.js";
import { SrsError } from "./errors.js";

// Points in the file are affine LEM: G1 x‖y, G2 x.c0‖x.c1‖y.c0‖y.c1, 32 bytes per coordinate.
export { G1_BYTES, G2_BYTES } from "../../verifier/engine/encoding.js";
import { G1_BYTES, G2_BYTES } from "../../verifier/engine/encoding.js";
/** Largest power any published ceremony reaches (and the 2-adicity of BN254's Fr). */
export const MAX_POWER = 28;

/** Header section: n8 (u32), the base field modulus q (n8 bytes), power (u32), ceremony power (u32). */
const FIELD_BYTES = 32;
const BLS12_381_FIELD_BYTES = 48;
/** A real file has at most 11 sections (ids 1…7 and 12…15); more than this is refused unread. */
const MAX_SECTIONS = 32;

const BLS12_381_Q =
  0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;

export const SECTION = {
  header: 1,
  tauG1: 2,
  tauG2: 3,
  alphaTauG1: 4,
  betaTauG1: 5,
  betaG2: 6,
  contributions: 7,
  lagrangeTauG1: 12,
  lagrangeTauG2: 13,
  lagrangeAlphaTauG1: 14,
  lagrangeBetaTauG1: 15,
} as const;

const SECTION_NAMES = new Map<number, string>(Object.entries(SECTION).map(([name, id]) => [id, name]));

/** Point sections: group and point count as a function of n = 2^power. The Lagrange sections
 * (prepared phase 2) hold one block per domain size 2^0 … 2^power, and tauG1 one more of 2^(power+1). */
const POINT_SECTIONS = new Map<number, { group: "G1" | "G2"; count: (n: number) => number }>([
  [SECTION.tauG1, { group: "G1", count: (n) => 2 * n - 1 }],
  [SECTION.tauG2, { group: "G2", count: (n) => n }],
  [SECTION.alphaTauG1, { group: "G1", count: (n) => n }],
  [SECTION.betaTauG1, { group: "G1", count: (n) => n }],
  [SECTION.betaG2, { group: "G2", count: () => 1 }],
  [SECTION.lagrangeTauG1, { group: "G1", count: (n) => 4 * n - 1 }],
  [SECTION.lagrangeTauG2, { group: "G2", count: (n) => 2 * n - 1 }],
  [SECTION.lagrangeAlphaTauG1, { group: "G1", count: (n) => 2 * n - 1 }],
  [SECTION.lagrangeBetaTauG1, { group: "G1", count: (n) => 2 * n - 1 }],
]);

const LAGRANGE_SECTIONS = [
  SECTION.lagrangeTauG1,
  SECTION.lagrangeTauG2,
  SECTION.lagrangeAlphaTauG1,
  SECTION.lagrangeBetaTauG1,
];

export interface PtauSection {
  id: number;
  /** snarkjs's name for it (tauG1, tauG2, …), or "unknown". */
  name: string;
  /** Offset of the section's data in the file. */
  offset: number;
  bytes: number;
  /** Number of curve points it holds, for point sections. */
  points?: number;
}

/** An open .ptau file whose container and header have been checked. Close it when done. */
export class PtauFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly fileBytes: number,
    readonly sections: readonly PtauSection[],
    readonly power: number,
    readonly ceremonyPower: number,
  ) {}

  /** Opens `path` and checks magic, version, section table, header and every section's size. */
  static async open(path: string): Promise<PtauFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (err) {
      throw new SrsError("format", `cannot open ${path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const fileBytes = (await handle.stat()).size;
      const sections = await readSectionTable(path, handle, fileBytes);
      const { power, ceremonyPower } = await readHeader(path, handle, sections);
      checkSectionSizes(path, sections, power);
      return new PtauFile(path, handle, fileBytes, sections, power, ceremonyPower);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Whether the file carries the Lagrange-basis sections that `snarkjs powersoftau prepare phase2` adds. */
  get prepared(): boolean {
    return this.sections.some((s) => s.id === SECTION.lagrangeTauG1);
  }

  /** The section with this id; a clear error when the file lacks it. */
  section(id: number): PtauSection {
    const found = this.sections.find((s) => s.id === id);
    if (!found) throw new SrsError("format", `${this.path}: missing section ${id} (${sectionName(id)})`);
    return found;
  }

  /** Reads `length` bytes at `offset` of the file into `into` (at `at`), or into a new buffer. */
  async read(offset: number, length: number, into: Uint8Array = new Uint8Array(length), at = 0): Promise<Uint8Array> {
    await readFully(this.path, this.handle, offset, into, at, length);
    return into;
  }

  /**
   * Points `first … first+count−1` of a point section, straight from the file, into `into` at
   * byte `at` (or a new buffer). Returns the bytes just read.
   */
  async readPoints(id: number, first: number, count: number, into?: Uint8Array, at = 0): Promise<Uint8Array> {
    const s = this.section(id);
    const info = POINT_SECTIONS.get(id);
    if (!info) throw new Error(`section ${id} holds no points`);
    const width = info.group === "G1" ? G1_BYTES : G2_BYTES;
    if (first < 0 || first + count > (s.points ?? 0)) {
      throw new RangeError(`points ${first}…${first + count - 1} lie outside ${s.name} (${s.points} points)`);
    }
    const out = await this.read(s.offset + first * width, count * width, into, at);
    return out.subarray(at, at + count * width);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export function sectionName(id: number): string {
  return SECTION_NAMES.get(id) ?? "unknown";
}

async function readFully(
  path: string,
  handle: FileHandle,
  offset: number,
  into: Uint8Array,
  at: number,
  length: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(into, at + done, length - done, offset + done);
    if (bytesRead === 0) {
      throw new SrsError("format", `${path}: the file is truncated (it ended at byte ${offset + done} while reading)`);
    }
    done += bytesRead;
  }
}

async function readSectionTable(path: string, handle: FileHandle, fileBytes: number): Promise<PtauSection[]> {
  const head = new Uint8Array(12);
  const { bytesRead } = await handle.read(head, 0, 12, 0);
  const magic = String.fromCharCode(...head.subarray(0, 4));
  if (bytesRead < 4 || magic !== "ptau") {
    throw new SrsError("format", `${path}: not a Powers-of-Tau file (it does not start with "ptau")`);
  }
  if (bytesRead < 12) throw new SrsError("format", `${path}: the file is truncated inside its preamble`);
  const view = new DataView(head.buffer);
  const version = view.getUint32(4, true);
  if (version !== 1) throw new SrsError("format", `${path}: unsupported ptau version ${version} (only 1 is known)`);
  const count = view.getUint32(8, true);
  if (count > MAX_SECTIONS) {
    throw new SrsError("format", `${path}: it declares ${count} sections; a Powers-of-Tau file has at most ${MAX_SECTIONS}`);
  }

  const sections: PtauSection[] = [];
  const seen = new Set<number>();
  let pos = 12;
  const entry = new Uint8Array(12);
  const entryView = new DataView(entry.buffer);
  for (let i = 0; i < count; i++) {
    if (pos + 12 > fileBytes) {
      throw new SrsError(
        "format",
        `${path}: the file is truncated: it declares ${count} sections but ends (at ${fileBytes} bytes) before section ${i + 1}`,
      );
    }
    await readFully(path, handle, pos, entry, 0, 12);
    const id = entryView.getUint32(0, true);
    const bytes = Number(entryView.getBigUint64(4, true));
    const offset = pos + 12;
    if (offset + bytes > fileBytes) {
      throw new SrsError(
        "format",
        `${path}: the file is truncated: section ${id} (${sectionName(id)}) needs ${bytes} bytes from offset ${offset}, ` +
          `but the file has only ${fileBytes} bytes`,
      );
    }
    if (seen.has(id)) {
      throw new SrsError("format", `${path}: section ${id} (${sectionName(id)}) appears twice`);
    }
    seen.add(id);
    sections.push({ id, name: sectionName(id), offset, bytes });
    pos = offset + bytes;
  }
  if (pos !== fileBytes) {
    throw new SrsError("format", `${path}: ${fileBytes - pos} unexpected bytes after the last section`);
  }
  return sections;
}

async function readHeader(
  path: string,
  handle: FileHandle,
  sections: PtauSection[],
): Promise<{ power: number; ceremonyPower: number }> {
  const header = sections.find((s) => s.id === SECTION.header);
  if (!header) throw new SrsError("format", `${path}: missing the header section`);
  if (header.bytes < 4) throw new SrsError("format", `${path}: the header section is too short`);
  // The field width and the section's length are checked before the section is read, so a
  // hostile header (a huge field, a section of a terabyte) costs one 4-byte read.
  // BLS12-381's 48-byte width is read too, only to name that curve in the error.
  const width = new Uint8Array(4);
  await readFully(path, handle, header.offset, width, 0, 4);
  const n8 = new DataView(width.buffer).getUint32(0, true);
  if (n8 !== FIELD_BYTES && n8 !== BLS12_381_FIELD_BYTES) {
    throw new SrsError("format", `${path}: wrong curve: the header declares a ${n8}-byte field; BN254's takes ${FIELD_BYTES}`);
  }
  if (header.bytes !== 4 + n8 + 8) {
    throw new SrsError("format", `${path}: the header is ${header.bytes} bytes, but a ${n8}-byte field needs ${4 + n8 + 8}`);
  }
  const bytes = new Uint8Array(header.bytes);
  await readFully(path, handle, header.offset, bytes, 0, header.bytes);
  const view = new DataView(bytes.buffer);
  let q = 0n;
  for (let i = n8 - 1; i >= 0; i--) q = (q << 8n) | BigInt(bytes[4 + i]);
  if (q !== P) {
    const curve = q === BLS12_381_Q ? "BLS12-381" : `an unknown curve (base field modulus q = 0x${q.toString(16)})`;
    throw new SrsError("format", `${path}: wrong curve: this Powers-of-Tau file is for ${curve}; zkinfer needs BN254`);
  }
  const power = view.getUint32(4 + n8, true);
  const ceremonyPower = view.getUint32(8 + n8, true);
  if (power < 1 || power > MAX_POWER) {
    throw new SrsError("format", `${path}: power ${power} is outside 1…${MAX_POWER}`);
  }
  if (ceremonyPower < power) {
    throw new SrsError("format", `${path}: power ${power} exceeds the ceremony power ${ceremonyPower}`);
  }
  return { power, ceremonyPower };
}

function checkSectionSizes(path: string, sections: PtauSection[], power: number): void {
  const n = 2 ** power;
  for (const s of sections) {
    const info = POINT_SECTIONS.get(s.id);
    if (!info) continue;
    const width = info.group === "G1" ? G1_BYTES : G2_BYTES;
    const expected = info.count(n);
    if (s.bytes !== expected * width) {
      throw new SrsError(
        "format",
        `${path}: section ${s.id} (${s.name}) is ${s.bytes} bytes, but power ${power} needs ` +
          `${expected} ${info.group} points (${expected * width} bytes)`,
      );
    }
    s.points = expected;
  }
  for (const id of [SECTION.tauG1, SECTION.tauG2]) {
    if (!sections.some((s) => s.id === id)) throw new SrsError("format", `${path}: missing section ${id} (${sectionName(id)})`);
  }
  const lagrange = LAGRANGE_SECTIONS.filter((id) => sections.some((s) => s.id === id));
  if (lagrange.length !== 0 && lagrange.length !== LAGRANGE_SECTIONS.length) {
    throw new SrsError("format", `${path}: only some of the Lagrange sections 12…15 are present`);
  }
}
