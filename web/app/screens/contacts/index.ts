import "./contacts.css";

import type { ScreenEntry } from "../registry";
import { ContactPage } from "./ContactPage";
import { ContactsScreen } from "./ContactsScreen";

// Founders and their colleagues see their organisation's contacts; region staff and the
// admin those the API lets them read (shared leads' contacts, personal fields redacted).
export const contactScreens: ScreenEntry[] = [
  { path: "/contacts", component: ContactsScreen, roles: ["member", "org-admin", "staff", "admin"], nav: "nav.contacts" },
  { path: "/contacts/:id", component: ContactPage, roles: ["member", "org-admin", "staff", "admin"] },
];
