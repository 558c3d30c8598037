// Adversarial review 5: checkPtauCovers (run by check-circuit and audit --check --srs before anything
// is decompressed) trusts the .ptau header section's length. readHeader allocates the whole section
// and builds the field modulus q from n8 bytes with one BigInt shift per byte before it compares q
// with BN254's, so
//  - a 100 KB file whose header declares a 100,000-byte field takes seconds (quadratic: a 1 MB file
//    takes minutes, a 10 MB one hours), blocking the event loop;
//  - a sparse file whose header section claims 1 TiB makes it allocate 1 TiB (a raw RangeError when
//    the allocation fails; a section of a few GiB, which it would succeed for, is read in full).
// Fixed: readHeader refuses a field width other than 32 (or BLS12-381's 48, to name that curve)
// and a header of another length from the section's first 4 bytes, without allocating the section
// or building q (SrsError "format"); readSectionTable refuses more than 32 sections unread.
import { expect } from "chai";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPtauCovers, SrsError } from "../../prover/srs/index.js";

/** A .ptau preamble with one section (the header, id 1) of `bytes` bytes. */
function preamble(bytes: bigint): Buffer {
  const b = Buffer.alloc(24);
  b.write("ptau", 0, "latin1");
  b.writeUInt32LE(1, 4); // version
  b.writeUInt32LE(1, 8); // one section
  b.writeUInt32LE(1, 12); // id 1: header
  b.writeBigUInt64LE(bytes, 16);
  return b;
}

describe("review: a hostile .ptau header", () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-review-ptau-"));
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("refuses a header declaring a 100,000-byte field at once (not after seconds of BigInt shifts)", async function () {
    this.timeout(1500);
    const n8 = 100_000;
    const header = Buffer.alloc(4 + n8 + 8, 0xff);
    header.writeUInt32LE(n8, 0);
    const path = join(tmp, "wide-field.ptau");
    await writeFile(path, Buffer.concat([preamble(BigInt(header.length)), header]));
    const started = Date.now();
    const err = await checkPtauCovers(path, 64).then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = Date.now() - started;
    expect(err).to.be.instanceOf(SrsError);
    expect(ms, "time to refuse the header (ms)").to.be.below(500);
  });

  it("refuses a header section claiming 1 TiB with an SrsError, without allocating it", async () => {
    const path = join(tmp, "huge-header.ptau");
    const size = 2n ** 40n;
    const f = await open(path, "w");
    try {
      await f.write(preamble(size - 24n), 0, 24, 0);
      await f.truncate(Number(size)); // sparse: no disk used
    } finally {
      await f.close();
    }
    const err = await checkPtauCovers(path, 64).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, String(err)).to.be.instanceOf(SrsError);
  });

  it("refuses a section table of a million empty sections from its count, before reading an entry", async function () {
    this.timeout(1500);
    const count = 1_000_000;
    const table = Buffer.alloc(12 + 12 * count);
    table.write("ptau", 0, "latin1");
    table.writeUInt32LE(1, 4);
    table.writeUInt32LE(count, 8);
    for (let i = 0; i < count; i++) table.writeUInt32LE(1000 + i, 12 + 12 * i); // distinct ids, 0 bytes each
    const path = join(tmp, "many-sections.ptau");
    await writeFile(path, table);
    const err = await checkPtauCovers(path, 64).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(SrsError);
    expect((err as Error).message).to.match(/declares 1000000 sections/);
  });
});
