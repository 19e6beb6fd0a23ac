// The README's first recipe, compiled as a downstream handler writes it (make typecheck): every action handled, the
// setup area present exactly where the action is fix-setup, and a `never` check that fails to compile when a new
// action appears.
import { type BounceAction, type BounceResult, classifyBounce, type SetupArea } from "mailcodes-bounce";

declare function suppress(address: string, why: string): void;
declare function retryLater(address: string): void;
declare function alertOps(area: SetupArea, diagnostic: string): void;
declare function review(address: string, action: BounceAction, diagnostic: string): void;

export async function handleBounce(raw: Uint8Array): Promise<void> {
  for (const r of await classifyBounce(raw)) handle(r);
}

function handle(r: BounceResult): void {
  switch (r.action) {
    case "suppress": // the address is dead, or its owner complained: never mail it again
      suppress(r.recipient, r.reason);
      break;
    case "retry": // the server or the mailbox may take it later
      retryLater(r.recipient);
      break;
    case "fix-setup": // your side: authentication, dns, reputation, rate or software
      alertOps(r.setup, r.diagnostic);
      break;
    case "change-message":
    case "ask-recipient":
    case "none":
      review(r.recipient, r.action, r.diagnostic);
      break;
    default: {
      const unhandled: never = r;
      throw new Error(`unhandled bounce action: ${JSON.stringify(unhandled)}`);
    }
  }
}
