// zkinfer check-circuit: setup publishes public-circuit.bin (no weights) next to vk.bin, and anyone
// holding it and the .ptau can check that the key encodes that circuit (docs/protocol.md §3.12).
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zk } from "../../helpers/cli.js";
import { releaseEngine } from "../../../verifier/engine/bn254.js";
import { frSet } from "../../../verifier/engine/fr.js";
import { decodePublicCircuit, encodePublicCircuit } from "../../../prover/plonkish/index.js";
import { FIXED } from "../../../verifier/plonkish/layout.js";
import { publicCircuitBomb } from "../plonkish/gzip-bomb.js";
import { makePtauFixtures, type PtauFixtures } from "../srs/fixtures.js";

describe("cli: zkinfer check-circuit", () => {
  let tmp: string;
  let fx: PtauFixtures;
  const params = ["--circuit", "matvec", "--param", "m=3", "--param", "k=2", "--param", "bits=2"];
  const model = () => join(tmp, "model");

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), "zkinfer-check-circuit-"));
    // snarkjs and the engine share ffjavascript's curve: make the .ptau before the engine runs.
    await releaseEngine();
    fx = await makePtauFixtures();
    const run = await zk("setup", model(), "--srs", fx.plain, ...params);
    expect(run.code, run.stderr).to.equal(0);
  });
  after(async () => {
    await fx?.remove();
    await rm(tmp, { recursive: true, force: true });
    await releaseEngine();
  });

  it("passes for the directory setup wrote (directory or file), and says what it checked", async () => {
    const run = await zk("check-circuit", model(), "--srs", fx.plain);
    expect(run.code, run.stderr).to.equal(0);
    for (const name of ["shape", "circuit description", "public-input layout", "structure", "srs", "fixed commitments"]) expect(run.stdout).to.match(new RegExp(`ok +${name}: `));
    const json = await zk("check-circuit", join(model(), "public-circuit.bin"), "--srs", fx.prepared, "--json");
    expect(json.code, json.stderr).to.equal(0);
    expect(JSON.parse(json.stdout).result).to.deep.include({ ok: true, mismatchedColumns: [] });
  });

  it("exits 1 for a circuit file that is not the key's, naming the column", async () => {
    const dir = join(tmp, "changed");
    await zk("setup", dir, "--srs", fx.plain, ...params);
    const circuit = await decodePublicCircuit(await readFile(join(dir, "public-circuit.bin")));
    frSet(circuit.table.fixed[FIXED.qC], 2 ** circuit.table.logRows - 1, 3n);
    await writeFile(join(dir, "public-circuit.bin"), await encodePublicCircuit(circuit.table, circuit.layout));
    const run = await zk("check-circuit", dir, "--srs", fx.plain, "--json");
    expect(run.code).to.equal(1);
    expect(JSON.parse(run.stdout).result).to.deep.include({ ok: false, mismatchedColumns: ["qC"] });
  });

  it("exits 1 for a key made on another SRS (a dev SRS cannot be checked), 2 for bad input", async () => {
    const dev = join(tmp, "dev");
    expect((await zk("setup", dev, "--dev-srs", ...params)).code).to.equal(0);
    const run = await zk("check-circuit", dev, "--srs", fx.plain);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/MISMATCH srs: .*not this SRS's/).and.match(/made with --dev-srs \(its vk\.bin says so\), whose τ was random and discarded/);
    expect((await zk("check-circuit", model())).code).to.equal(2); // no --srs
    expect((await zk("check-circuit", join(tmp, "nope"), "--srs", fx.plain)).code).to.equal(2);
    await writeFile(join(dev, "public-circuit.bin"), "damaged");
    const damaged = await zk("check-circuit", dev, "--srs", fx.plain);
    expect(damaged.code).to.equal(2);
    expect(damaged.stderr).to.match(/public circuit file: not gzip data/);
  });

  it("exits 2 on a gzip bomb, without inflating it past the length its header declares", async () => {
    const dir = join(tmp, "bomb");
    await zk("setup", dir, "--srs", fx.plain, ...params);
    await writeFile(join(dir, "public-circuit.bin"), publicCircuitBomb({ logRows: 4, mebibytes: 64 }));
    const run = await zk("check-circuit", dir, "--srs", fx.plain);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/public circuit file: it decompresses to more than the \d+ bytes its header declares/);
  });
});
