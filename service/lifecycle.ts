// Signals for the long-running commands: the first SIGTERM or SIGINT asks for a graceful stop,
// a second one for an immediate stop.
export function untilStopSignal(onSecond?: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const handler = (signal: NodeJS.Signals) => {
      if (!seen) {
        seen = true;
        resolve(signal);
      } else {
        onSecond?.();
      }
    };
    process.on("SIGTERM", handler);
    process.on("SIGINT", handler);
  });
}
