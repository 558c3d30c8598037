// Minimal types for the parts of snarkjs (GPL-3.0, no bundled typings) that tests use.
declare module "snarkjs" {
  export interface SnarkjsCurve {
    terminate(): Promise<void>;
  }
  export const curves: {
    getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<SnarkjsCurve>;
  };
  export const powersOfTau: {
    newAccumulator(curve: SnarkjsCurve, power: number, fileName: string, logger?: unknown): Promise<Uint8Array>;
    contribute(oldPtau: string, newPtau: string, name: string, entropy: string, logger?: unknown): Promise<Uint8Array>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: unknown): Promise<void>;
  };
}
