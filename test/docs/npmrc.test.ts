// The repository's .npmrc holds only settings npm knows: a package's own key (such as
// onnxruntime-node-install) makes every npm command in the project warn "Unknown project config".
// The CUDA download that key used to skip is skipped by ONNXRUNTIME_NODE_INSTALL (README, .ci/run).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe(".npmrc", () => {
  it("makes npm print no warning about unknown project settings", async () => {
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile("npm", ["config", "get", "engine-strict"], { cwd: ROOT, timeout: 60_000 }, (err, _stdout, stderr) => (err ? reject(err) : resolve(stderr)));
    });
    expect(stderr).to.not.match(/Unknown \w+ config/);
  });

  it("the set-up the README gives and .ci/run runs skip onnxruntime-node's CUDA download", async () => {
    for (const file of ["README.md", ".ci/run"]) {
      expect(await readFile(join(ROOT, file), "utf8"), file).to.include("ONNXRUNTIME_NODE_INSTALL=skip npm install");
    }
  });
});
