import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel } from "node:worker_threads";
import { fromKeyReadReply, KeyReadError, readKey, toKeyReadReply, type KeyReadReply } from "../../../prover/cli/key-read.js";
import { expectRejection } from "../../helpers/assert.js";

describe("cli: reading a proving key, hashed as it is read (key-read.ts)", () => {
  let tmp: string;
  let path: string;
  const bytes = randomBytes(100_003);
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-key-read-"));
    path = join(tmp, "pk.bin");
    await writeFile(path, bytes);
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  for (const [where, offThreadFrom] of [["on this thread", Infinity], ["on a worker thread", 0]] as const) {
    it(`${where}: the bytes, in shared memory, and the SHA-256 of all but the last checksumBytes`, async () => {
      const { result } = readKey({ path, chunkBytes: 4099, checksumBytes: 32 }, bytes.length, offThreadFrom);
      const read = await result;
      expect(read.bytes.buffer).to.be.instanceOf(SharedArrayBuffer);
      expect(Buffer.compare(read.bytes, bytes)).to.equal(0);
      expect(Buffer.from(read.bodySha256!).toString("hex")).to.equal(createHash("sha256").update(bytes.subarray(0, bytes.length - 32)).digest("hex"));
    });

    it(`${where}: a missing file rejects with its errno code`, async () => {
      const err = await expectRejection(readKey({ path: join(tmp, "none.bin"), chunkBytes: 4096, checksumBytes: 32 }, 0, offThreadFrom).result, /ENOENT/);
      expect(err).to.be.instanceOf(KeyReadError);
      expect((err as KeyReadError).code).to.equal("ENOENT");
    });
  }

  it("a key of more than 4 GiB crosses from the reader's thread whole (a view's length arrives mod 2^32)", async () => {
    // Shared memory that is never written takes no pages: this costs no 4 GiB.
    const big = new Uint8Array(new SharedArrayBuffer(2 ** 32 + 3372));
    const digest = new Uint8Array(32).fill(9);
    const { port1, port2 } = new MessageChannel();
    try {
      const crossed = new Promise<{ view: Uint8Array; reply: KeyReadReply }>((resolve) => port2.once("message", resolve));
      port1.postMessage({ view: big, reply: toKeyReadReply({ bytes: big, bodySha256: digest }) });
      const { view, reply } = await crossed;
      // What a plain view does (the bug this guards against), then what the reply gives.
      expect(view.length).to.equal(3372);
      if ("error" in reply) throw new Error("no error expected");
      const read = fromKeyReadReply(reply);
      expect(read.bytes.length).to.equal(2 ** 32 + 3372);
      expect(read.bytes.buffer).to.be.instanceOf(SharedArrayBuffer);
      expect(Array.from(read.bodySha256!)).to.deep.equal(Array.from(digest));
    } finally {
      port1.close();
      port2.close();
    }
  });

  it("a file shorter than its checksum comes back without a digest", async () => {
    const short = join(tmp, "short.bin");
    await writeFile(short, bytes.subarray(0, 10));
    const read = await readKey({ path: short, chunkBytes: 4096, checksumBytes: 32 }, 10, 0).result;
    expect(read.bytes.length).to.equal(10);
    expect(read.bodySha256).to.equal(undefined);
  });

  it("cancel() stops the worker thread: its result rejects instead of holding the process open", async () => {
    const read = readKey({ path, chunkBytes: 4096, checksumBytes: 32 }, bytes.length, 0);
    read.cancel();
    await expectRejection(read.result, /reader thread stopped/);
  });
});
