// Types for the parts of ffjavascript (GPL-3.0, no bundled typings) that zkinfer uses.
declare module "ffjavascript" {
  /** A field of ffjavascript's WebAssembly engine; elements are Uint8Array in Montgomery form. */
  export interface WasmField {
    n8: number;
    p: bigint;
    zero: Uint8Array;
    one: Uint8Array;
    s: number;
    e(a: bigint | number | string): Uint8Array;
    toObject(a: Uint8Array): bigint;
    fromObject(a: bigint): Uint8Array;
    add(a: Uint8Array, b: Uint8Array): Uint8Array;
    sub(a: Uint8Array, b: Uint8Array): Uint8Array;
    mul(a: Uint8Array, b: Uint8Array): Uint8Array;
    neg(a: Uint8Array): Uint8Array;
    inv(a: Uint8Array): Uint8Array;
    eq(a: Uint8Array, b: Uint8Array): boolean;
    isZero(a: Uint8Array): boolean;
    toRprLE(buff: Uint8Array, o: number, a: Uint8Array): void;
    fromRprLE(buff: Uint8Array, o?: number): Uint8Array;
    toRprBE(buff: Uint8Array, o: number, a: Uint8Array): void;
    fromRprBE(buff: Uint8Array, o?: number): Uint8Array;
    toRprLEM(buff: Uint8Array, o: number, a: Uint8Array): void;
    fromRprLEM(buff: Uint8Array, o?: number): Uint8Array;
    fft(buff: Uint8Array): Promise<Uint8Array>;
    ifft(buff: Uint8Array): Promise<Uint8Array>;
    batchToMontgomery(buff: Uint8Array): Promise<Uint8Array>;
    batchFromMontgomery(buff: Uint8Array): Promise<Uint8Array>;
    batchInverse(buff: Uint8Array): Promise<Uint8Array>;
    w: Uint8Array[];
  }

  /** An elliptic-curve group of the engine; points are Uint8Array (Jacobian or affine, Montgomery). */
  export interface WasmCurve {
    F: WasmField;
    g: Uint8Array;
    zero: Uint8Array;
    add(a: Uint8Array, b: Uint8Array): Uint8Array;
    sub(a: Uint8Array, b: Uint8Array): Uint8Array;
    neg(a: Uint8Array): Uint8Array;
    eq(a: Uint8Array, b: Uint8Array): boolean;
    isZero(a: Uint8Array): boolean;
    toAffine(a: Uint8Array): Uint8Array;
    timesScalar(a: Uint8Array, s: bigint | number): Uint8Array;
    timesFr(a: Uint8Array, s: Uint8Array): Uint8Array;
    toObject(a: Uint8Array): bigint[] | bigint[][];
    fromObject(o: unknown): Uint8Array;
    toRprUncompressed(buff: Uint8Array, o: number, p: Uint8Array): void;
    fromRprUncompressed(buff: Uint8Array, o: number): Uint8Array;
    toRprLEM(buff: Uint8Array, o: number, p: Uint8Array): void;
    fromRprLEM(buff: Uint8Array, o?: number): Uint8Array;
    multiExpAffine(bases: Uint8Array, scalars: Uint8Array, logger?: unknown, name?: string): Promise<Uint8Array>;
    fft(buff: Uint8Array, inType: string, outType: string): Promise<Uint8Array>;
    batchLEMtoU(buff: Uint8Array): Promise<Uint8Array>;
    batchUtoLEM(buff: Uint8Array): Promise<Uint8Array>;
  }

  /**
   * The engine's thread manager. `instance` is the main-thread WebAssembly instance; its
   * exports (frm_mul, …) work on pointers into `memory`, which only `alloc` hands out, between
   * `startSyncOp` and `endSyncOp` (which frees everything allocated since the start). `alloc`
   * does not grow `memory`; whoever grows it must refresh `u8` and `u32`.
   */
  export interface ThreadManager {
    instance: WebAssembly.Instance;
    memory: WebAssembly.Memory;
    u8: Uint8Array;
    u32: Uint32Array;
    concurrency: number;
    alloc(length: number): number;
    startSyncOp(): void;
    endSyncOp(): void;
    /** Stops the worker threads (a threaded engine's). */
    terminate(): Promise<void>;
  }

  export interface Bn128 {
    tm: ThreadManager;
    q: bigint;
    r: bigint;
    Fr: WasmField;
    F1: WasmField;
    G1: WasmCurve;
    G2: WasmCurve;
    pairingEq(...args: Uint8Array[]): Promise<boolean>;
    terminate(): Promise<void>;
  }

  export function buildBn128(singleThread?: boolean, plugins?: unknown): Promise<Bn128>;
}
