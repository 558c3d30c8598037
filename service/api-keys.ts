// API keys: a client sends `Authorization: Bearer <key>`; the service keeps only the lowercase hex
// SHA-256 of each accepted key (one per line of the --api-keys file), so no plain key sits on disk.
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ServiceSetupError } from "./errors.js";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A fresh key: 32 random bytes, base64url, with a prefix that says what it is. */
export function newApiKey(): { key: string; line: string } {
  const key = `zk_${randomBytes(32).toString("base64url")}`;
  return { key, line: hashApiKey(key) };
}

/** Reads an --api-keys file: one SHA-256 hex per line; blank lines and lines starting with # are skipped. */
export async function readApiKeyFile(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ServiceSetupError(`cannot read the API keys file ${path}: ${(err as Error).message}`);
  }
  const hashes = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!/^[0-9a-f]{64}$/.test(line)) {
      throw new ServiceSetupError(`${path}:${i + 1}: expected the lowercase hex SHA-256 of a key (64 hex digits; \`zkinfer keys new\` prints one), got "${line.slice(0, 80)}"`);
    }
    hashes.add(line);
  });
  if (hashes.size === 0) throw new ServiceSetupError(`${path} holds no key hash; add the line that \`zkinfer keys new\` prints`);
  return hashes;
}

/** Whether an Authorization header carries an accepted key. */
export function authorized(header: string | undefined, hashes: ReadonlySet<string>): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m !== null && hashes.has(hashApiKey(m[1]));
}
