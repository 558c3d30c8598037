// zkinfer audit's usage errors; the command against a live node is tested end to end in
// test/sdk/hardhat-node.test.ts.
import { expect } from "chai";
import { zk } from "../../helpers/cli.js";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("cli: zkinfer audit", () => {
  it("refuses a missing or malformed --rpc, --registry, --model, --owner or --from-block with exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--registry", REGISTRY], /--rpc is required/],
      [["--rpc", "http://127.0.0.1:9"], /--registry is required/],
      [["--rpc", "not a url", "--registry", REGISTRY], /--rpc must be a URL/],
      [["--rpc", "http://127.0.0.1:9", "--registry", "0x12"], /--registry must be an address/],
      [["--rpc", "http://127.0.0.1:9", "--registry", REGISTRY, "--model", "1"], /--model must be a model id/],
      [["--rpc", "http://127.0.0.1:9", "--registry", REGISTRY, "--owner", "0x12"], /--owner must be an address/],
      [["--rpc", "http://127.0.0.1:9", "--registry", REGISTRY, "--from-block", "1e3"], /--from-block must be a block number/],
    ];
    for (const [args, message] of cases) {
      const run = await zk("audit", ...args);
      expect(run.code, args.join(" ")).to.equal(2);
      expect(run.stderr).to.match(message);
    }
  });

  it("reports an unreachable node as bad input (exit 2), in JSON too", async () => {
    const run = await zk("audit", "--rpc", "http://127.0.0.1:9", "--registry", REGISTRY, "--json");
    expect(run.code).to.equal(2);
    const out = JSON.parse(run.stdout);
    expect(out.error.type).to.equal("InputError");
    expect(out.error.message).to.match(/^the node at http:\/\/127\.0\.0\.1:9\/ did not answer: .*failed after/);
  });

  it("refuses a --check directory that is not a model directory with exit 2, before reaching the node", async () => {
    const run = await zk("audit", "--rpc", "http://127.0.0.1:9", "--registry", REGISTRY, "--check", "/nonexistent/model");
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/verification key \/nonexistent\/model\/vk\.bin does not exist/);
  });

  it("has help with an example", async () => {
    const run = await zk("audit", "--help");
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/--registry <address>/).and.to.match(/zkinfer audit --rpc http/).and.to.match(/--check <dir>/);
  });
});
