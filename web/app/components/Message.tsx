import type { ComponentChildren } from "preact";

// A message the user must notice (an error: role=alert) or may (a status: role=status).
export function Message({ kind, children }: { kind: "error" | "status"; children: ComponentChildren }) {
  return (
    <p class={`message message-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
