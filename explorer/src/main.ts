// The audit explorer: a hash-routed single-page app (#/, #/model/<id>, #/record/<id>) that reads an
// inference registry from the browser through zkinfer/sdk.
import "./style.css";
import { UnknownModelError, UnknownRecordError } from "../../sdk/index.js";
import { connect, ConnectionProblem, type Chain } from "./chain.js";
import { ConfigError, loadConfig } from "./config.js";
import { h, mono } from "./dom.js";
import { modelPage } from "./pages/model.js";
import { modelsPage } from "./pages/models.js";
import { recordPage } from "./pages/record.js";

const main = document.getElementById("main")!;
const connection = document.querySelector<HTMLElement>("[data-testid=connection]")!;
const HASH32 = /^0x[0-9a-fA-F]{64}$/;

const PROBLEM_TITLES: Record<ConnectionProblem["kind"] | "config", string> = {
  unreachable: "The RPC node cannot be reached",
  "wrong-network": "Wrong network",
  "not-registry": "Not an inference registry",
  config: "The explorer is not configured",
};

function problem(kind: keyof typeof PROBLEM_TITLES, message: string): void {
  document.title = `${PROBLEM_TITLES[kind]}: zkinfer audit explorer`;
  connection.textContent = "";
  main.replaceChildren(
    h(
      "section",
      { class: "problem", role: "alert", "data-testid": "state", "data-state": kind },
      h("h1", {}, PROBLEM_TITLES[kind]),
      h("p", { "data-testid": "state-message" }, message),
      h("p", {}, h("button", { type: "button", onclick: () => location.reload() }, "Try again")),
    ),
  );
}

let current: AbortController | undefined;

async function route(chain: Chain): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const [, page, id] = location.hash.replace(/^#/, "").split("/");
  main.replaceChildren();
  main.setAttribute("aria-busy", "true");
  try {
    if (page === "model" && HASH32.test(id ?? "")) {
      document.title = "Model: zkinfer audit explorer";
      await modelPage(chain, main, id as `0x${string}`, controller.signal);
    } else if (page === "record" && HASH32.test(id ?? "")) {
      document.title = "Record: zkinfer audit explorer";
      await recordPage(chain, main, id as `0x${string}`);
    } else {
      document.title = "Models: zkinfer audit explorer";
      await modelsPage(chain, main);
    }
  } catch (err) {
    if (controller.signal.aborted) return;
    const known = err instanceof UnknownModelError || err instanceof UnknownRecordError;
    main.replaceChildren(
      h(
        "section",
        { class: "problem", role: "alert", "data-testid": "state", "data-state": known ? "not-found" : "error" },
        h("h1", {}, known ? "Not found" : "Something went wrong"),
        h("p", { "data-testid": "state-message" }, (err as Error).message.split("\n")[0]),
        h("p", {}, h("a", { href: "#/" }, "Back to the models")),
      ),
    );
  } finally {
    main.removeAttribute("aria-busy");
    if (!controller.signal.aborted) main.focus({ preventScroll: true });
  }
}

async function start(): Promise<void> {
  let chain: Chain;
  try {
    const config = await loadConfig();
    connection.replaceChildren("Connecting to ", mono(config.rpc), "…");
    chain = await connect(config);
  } catch (err) {
    if (err instanceof ConfigError) return problem("config", err.message);
    if (err instanceof ConnectionProblem) return problem(err.kind, err.message);
    return problem("unreachable", (err as Error).message.split("\n")[0]);
  }
  connection.replaceChildren("Registry ", mono(chain.config.registry), ` on chain ${chain.chainId} via `, mono(chain.config.rpc));
  document.body.dataset.ready = "true";
  window.addEventListener("hashchange", () => void route(chain));
  await route(chain);
}

void start();
