// The part of circomlibjs the tests use: its Poseidon, as the reference for prover/blocks/poseidon.ts.
declare module "circomlibjs" {
  interface CircomPoseidon {
    (inputs: bigint[], initState?: bigint): Uint8Array;
    F: { toObject(x: Uint8Array): bigint };
  }
  export function buildPoseidon(): Promise<CircomPoseidon>;
}
