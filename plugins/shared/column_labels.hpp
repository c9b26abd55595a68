// Column labels: what a person reads at the top of a column, in French and English, for the
// columns of the datasets the daemon exports (their field names are in the SDK's
// relance_column.name, stable, for programs). A catalogue, not code: a new field gets a line
// here; a column without one is headed by its field name. Header-only and built on nothing
// but the standard library, like the rest of plugins/shared.
#pragma once

#include <string_view>

namespace plugins_shared {

struct ColumnLabel {
  std::string_view dataset;  // empty: any dataset without a line of its own
  std::string_view column;
  std::string_view en, fr;
};

inline constexpr ColumnLabel column_labels[] = {
    // Every dataset.
    {"", "id", "ID", "ID"},
    {"", "created_at", "Created", "Créé le"},
    {"", "updated_at", "Updated", "Modifié le"},
    {"", "organisation_name", "Start-up", "Start-up"},
    {"", "tags", "Tags", "Étiquettes"},
    {"", "notes", "Notes", "Notes"},
    {"", "kind", "Kind", "Type"},
    {"", "country", "Country", "Pays"},
    {"", "city", "City", "Ville"},
    {"", "currency", "Currency", "Devise"},
    {"", "time_zone", "Time zone", "Fuseau horaire"},
    // The ids and the names beside them.
    {"", "company_id", "Company ID", "ID société"},
    {"", "company_name", "Company", "Société"},
    {"", "contact_id", "Contact ID", "ID contact"},
    {"", "contact_name", "Contact", "Contact"},
    {"", "lead_id", "Lead ID", "ID piste"},
    {"", "lead_title", "Lead", "Piste"},
    {"", "owner_id", "Owner ID", "ID responsable"},
    {"", "owner_name", "Owner", "Responsable"},
    {"", "assignee_id", "Assignee ID", "ID assigné à"},
    {"", "assignee_name", "Assignee", "Assigné à"},
    {"", "author_id", "Author ID", "ID auteur"},
    {"", "author_name", "Author", "Auteur"},
    {"", "source_event_id", "Event ID", "ID événement"},
    {"", "source_event_name", "Event", "Événement"},
    {"", "event_id", "Event ID", "ID événement"},
    {"", "event_name", "Event", "Événement"},
    // Companies.
    {"companies", "name", "Name", "Nom"},
    {"", "domain", "Domain", "Domaine"},
    {"", "sector", "Sector", "Secteur"},
    {"", "website", "Website", "Site web"},
    // Contacts.
    {"", "first_name", "First name", "Prénom"},
    {"", "last_name", "Last name", "Nom"},
    {"", "emails", "Emails", "E-mails"},
    {"", "phones", "Phones", "Téléphones"},
    {"contacts", "title", "Job title", "Fonction"},
    {"", "linkedin_url", "LinkedIn", "LinkedIn"},
    {"", "met_at", "Met on", "Rencontré le"},
    {"", "met_where", "Met at", "Rencontré à"},
    {"", "lawful_basis", "Lawful basis", "Base légale"},
    {"", "consent_at", "Consent given", "Consentement le"},
    {"", "consent_note", "Consent note", "Note de consentement"},
    // Leads.
    {"leads", "title", "Title", "Intitulé"},
    {"", "stage", "Stage", "Étape"},
    {"", "value", "Value", "Montant"},
    {"", "expected_close", "Expected close", "Signature prévue"},
    {"", "shared_with_region", "Shared with the region", "Partagé avec la région"},
    // Activities.
    {"", "occurred_at", "Date", "Date"},
    {"", "subject", "Subject", "Objet"},
    {"", "from_stage", "From stage", "Étape avant"},
    {"", "to_stage", "To stage", "Étape après"},
    // Follow-ups.
    {"followups", "title", "To do", "À faire"},
    {"", "due_at", "Due", "Échéance"},
    {"", "status", "Status", "Statut"},
    {"", "done_at", "Done", "Fait le"},
    {"", "contact_time_zone", "Contact's time zone", "Fuseau du contact"},
    // Outcomes.
    {"", "amount", "Amount", "Montant"},
    {"", "jobs", "Jobs", "Emplois"},
    {"", "occurred_on", "Date", "Date"},
    {"", "evidence", "Evidence", "Preuve"},
    // The tables of the mission's reports (docs/api.md, "Reports").
    {"", "start_up", "Start-up", "Start-up"},
    {"", "leads", "Leads", "Pistes"},
    {"", "reached", "Reached", "Atteinte par"},
    {"", "conversion_to_next", "To next stage", "Vers l’étape suivante"},
    {"", "stays", "Stays", "Passages"},
    {"", "median_seconds", "Median (s)", "Médiane (s)"},
    {"", "p90_seconds", "90th percentile (s)", "90e centile (s)"},
    {"", "breakdown", "By", "Par"},
    {"", "key", "Which", "Lequel"},
    {"", "count", "Count", "Nombre"},
    {"", "amount_eur", "Amount (EUR)", "Montant (EUR)"},
    {"", "amounts", "By currency", "Par devise"},
    {"", "mission_leads", "Mission leads", "Pistes de la mission"},
    {"", "with_reference", "Clock started", "Délai commencé"},
    {"", "followed_up", "Followed up", "Relancées"},
    {"", "within_72h", "Within 72 h", "Sous 72 h"},
    {"", "within_7d", "Within 7 days", "Sous 7 jours"},
    {"", "share_within_72h", "Share within 72 h", "Part sous 72 h"},
    {"", "share_within_7d", "Share within 7 days", "Part sous 7 jours"},
    {"", "median_hours_to_first_followup", "Median hours to follow-up", "Heures médianes avant relance"},
    {"", "overdue_followups", "Overdue follow-ups", "Relances en retard"},
    {"stale_leads", "title", "Lead", "Piste"},
    {"", "last_activity_at", "Last activity", "Dernière activité"},
    {"", "idle_days", "Idle days", "Jours sans activité"},
    {"", "figure", "Figure", "Indicateur"},
    {"", "definition", "Definition", "Définition"},
};

// The label of `column` of `dataset` in French (`french`) or English; the column's name
// when the catalogue has none.
inline std::string_view column_label(std::string_view dataset, std::string_view column, bool french) {
  const ColumnLabel* found = nullptr;
  for (const ColumnLabel& l : column_labels) {
    if (l.column != column) continue;
    if (l.dataset == dataset) {
      found = &l;
      break;
    }
    if (l.dataset.empty() && !found) found = &l;
  }
  if (!found) return column;
  return french ? found->fr : found->en;
}

}  // namespace plugins_shared
