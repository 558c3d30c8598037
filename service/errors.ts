// Errors of the proving service that are the operator's to fix (a missing redis-server, an
// unreachable Redis, an artifacts directory that cannot serve): the CLI prints them and exits 2.
export class ServiceSetupError extends Error {
  override name = "ServiceSetupError";
}
