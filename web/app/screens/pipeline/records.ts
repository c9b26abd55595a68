// The names of the contacts and companies the cards show, each record read once per load
// (a lead carries only their ids). Reads run a few at a time.
import { api, type Company, type Contact } from "../../api/client";

export interface Names {
  contacts: Map<number, Contact>;
  companies: Map<number, Company>;
}

async function inBatches<T>(ids: number[], read: (id: number) => Promise<T | undefined>, into: Map<number, T>) {
  for (let i = 0; i < ids.length; i += 8) {
    const chunk = ids.slice(i, i + 8);
    const found = await Promise.all(chunk.map(read));
    chunk.forEach((id, j) => {
      const r = found[j];
      if (r) into.set(id, r);
    });
  }
}

export async function readNames(
  leads: readonly { contact_id?: number | null; company_id?: number | null }[],
  known: Names = { contacts: new Map(), companies: new Map() },
): Promise<Names> {
  const contacts = new Map(known.contacts);
  const companies = new Map(known.companies);
  const wanted = (ids: (number | null | undefined)[], have: Map<number, unknown>) =>
    [...new Set(ids.filter((id): id is number => typeof id === "number" && !have.has(id)))];
  await Promise.all([
    inBatches(wanted(leads.map((l) => l.contact_id), contacts),
      (id) => api.GET("/api/v1/contacts/{id}", { params: { path: { id } } }).then((r) => r.data), contacts),
    inBatches(wanted(leads.map((l) => l.company_id), companies),
      (id) => api.GET("/api/v1/companies/{id}", { params: { path: { id } } }).then((r) => r.data), companies),
  ]);
  return { contacts, companies };
}
