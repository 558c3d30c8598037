// Every code block of README.md and sdk/README.md is run by something or says it is illustrative
// (issue 22): the line before its fence is `<!-- runs in <path> -->` or `<!-- illustrative: … -->`,
// and every path such a comment names exists, so a pointer to what runs the code cannot go stale.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MARKER = /^\s*<!-- (runs in (\S+)|illustrative: .+) -->$/;

/** "file:line" of every opening fence whose previous line is not a marker, and every named path that does not exist. */
function problems(file: string, text: string): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  let open = false;
  lines.forEach((line, i) => {
    if (!/^\s*```/.test(line)) return;
    open = !open;
    if (!open) return;
    const marker = MARKER.exec(lines[i - 1] ?? "");
    if (!marker) return out.push(`${file}:${i + 1}: no <!-- runs in … --> or <!-- illustrative: … --> before the code block`);
    for (const path of (marker[1].match(/(?:test|examples|scripts|\.ci)\/[\w./-]*/g) ?? []).map((p) => p.replace(/[.,;:]$/, ""))) {
      if (!existsSync(join(ROOT, path))) out.push(`${file}:${i}: names ${path}, which does not exist`);
    }
  });
  return out;
}

describe("README code blocks", () => {
  for (const file of ["README.md", "sdk/README.md"]) {
    it(`${file}: each is run by a test or CI, or marked illustrative`, async () => {
      expect(problems(file, await readFile(join(ROOT, file), "utf8"))).to.deep.equal([]);
    });
  }

  it("control: an unmarked block and a marker naming a missing file are reported", () => {
    const text = ["```sh", "npm test", "```", "<!-- illustrative: see test/no-such-file.test.ts -->", "```ts", "x", "```"].join("\n");
    expect(problems("x.md", text)).to.deep.equal(["x.md:1: no <!-- runs in … --> or <!-- illustrative: … --> before the code block", "x.md:4: names test/no-such-file.test.ts, which does not exist"]);
  });
});
