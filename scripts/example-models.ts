// Where the EZKL example models (the conformance fixtures) are: $ZKINFER_EXAMPLES_DIR if set, else
// ../shared/fixtures/ezkl-examples beside the repository, else the machines' shared copy under
// /work. A clone checked out elsewhere (CI's clean clone in a temporary directory) still finds them.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SHARED_COPY = "/work/shared/fixtures/ezkl-examples";

/** The directory of the example models; throws naming what was tried when there is none. */
export function exampleModelsDir(): string {
  const fromEnv = process.env.ZKINFER_EXAMPLES_DIR;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`ZKINFER_EXAMPLES_DIR=${fromEnv} does not exist`);
    return fromEnv;
  }
  const candidates = [join(REPO, "..", "shared", "fixtures", "ezkl-examples"), SHARED_COPY];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`the EZKL example models were not found (tried ${candidates.join(", ")}); set ZKINFER_EXAMPLES_DIR`);
  return found;
}
