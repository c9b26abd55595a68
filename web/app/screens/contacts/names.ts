import type { Contact } from "../../api/client";

// "Zoé Lefèvre"; empty when both names are (or are redacted).
export function fullName(c: Pick<Contact, "first_name" | "last_name">): string {
  return [c.first_name, c.last_name].filter(Boolean).join(" ");
}
