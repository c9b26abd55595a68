#include "demo/fiction.hpp"

#include <array>
#include <cctype>

#include "domain/text.hpp"

namespace relance::demo {
namespace {

using sv = std::string_view;

constexpr std::array<StartupProfile, 30> startup_table{{
    {"Photonéa", "deeptech", "Grenoble", "Capteurs photoniques pour l'industrie"},
    {"Médisonde", "health", "Lyon", "Échographie portable assistée"},
    {"Vélozen", "mobility", "Annecy", "Vélos cargo électriques partagés"},
    {"Carbonéo", "climate", "Clermont-Ferrand", "Mesure du carbone des sols agricoles"},
    {"Codébloc", "software", "Lyon", "Plateforme low-code pour les PME"},
    {"Qubivalle", "deeptech", "Grenoble", "Puces quantiques à spin"},
    {"Cardiolia", "health", "Saint-Étienne", "Suivi cardiaque à domicile"},
    {"Hydrobus Alpin", "mobility", "Chambéry", "Navettes à hydrogène de montagne"},
    {"Aquaterrix", "climate", "Valence", "Irrigation pilotée par satellite"},
    {"Datanuée", "software", "Lyon", "Observabilité des données"},
    {"Nanovoltis", "deeptech", "Grenoble", "Batteries à électrodes nanostructurées"},
    {"Neurabelle", "health", "Lyon", "Rééducation neurologique en réalité virtuelle"},
    {"Rail'Onde", "mobility", "Villeurbanne", "Maintenance prédictive ferroviaire"},
    {"Solarège", "climate", "Aix-les-Bains", "Toitures solaires légères"},
    {"Syncrolis", "software", "Annecy", "Synchronisation de stocks en temps réel"},
    {"Cryolyse", "deeptech", "Grenoble", "Cryogénie compacte"},
    {"Dermatéo", "health", "Lyon", "Diagnostic cutané par IA"},
    {"Skyvolée", "mobility", "Clermont-Ferrand", "Drones d'inspection d'ouvrages"},
    {"Biomassya", "climate", "Bourg-en-Bresse", "Biochar issu de déchets forestiers"},
    {"Lexivore", "software", "Grenoble", "Lecture automatique de contrats"},
    {"Spintronika", "deeptech", "Grenoble", "Mémoires magnétiques basse consommation"},
    {"Oncovéa", "health", "Lyon", "Médecine de précision en oncologie"},
    {"Trottinéo", "mobility", "Saint-Étienne", "Recharge de flottes légères"},
    {"Glacéo Labs", "climate", "Chamonix", "Suivi des glaciers par capteurs"},
    {"Factulys", "software", "Lyon", "Facturation électronique pour artisans"},
    {"Graphénix", "deeptech", "Clermont-Ferrand", "Encres conductrices au graphène"},
    {"Biolumia", "health", "Grenoble", "Imagerie par bioluminescence"},
    {"Agrobotik", "foodtech", "Valence", "Robots de désherbage"},
    {"Montagne Analytics", "software", "Chambéry", "Prévisions de fréquentation des stations"},
    {"Textilôme", "materials", "Roanne", "Textiles techniques recyclés"},
}};

constexpr std::array<PartnerProfile, 40> partner_table{{
    {"Bramblecone Ventures", "vc-fund", "Menlo Park", "venture capital"},
    {"Quillfeather Capital", "vc-fund", "Palo Alto", "venture capital"},
    {"Tidewell Partners", "vc-fund", "San Francisco", "venture capital"},
    {"Larkspur Summit Fund", "vc-fund", "Menlo Park", "venture capital"},
    {"Driftmoor Capital", "vc-fund", "San Francisco", "venture capital"},
    {"Emberpine Ventures", "vc-fund", "Palo Alto", "venture capital"},
    {"Oakhaven Seed Partners", "vc-fund", "Mountain View", "venture capital"},
    {"Silverquay Growth", "vc-fund", "San Francisco", "venture capital"},
    {"Foxglove Deeptech Fund", "vc-fund", "Berkeley", "venture capital"},
    {"Cinderbay Health Ventures", "vc-fund", "South San Francisco", "venture capital"},
    {"Launchtide Accelerator", "accelerator", "San Francisco", "accelerator"},
    {"Foglight Labs", "accelerator", "Oakland", "accelerator"},
    {"Sprocketyard", "accelerator", "San José", "accelerator"},
    {"Bay Orbit Accelerator", "accelerator", "Mountain View", "accelerator"},
    {"Hatchmoor Climate Studio", "accelerator", "Berkeley", "accelerator"},
    {"Gigantiwidget Corp.", "corporate", "San José", "industrial automation"},
    {"Helixware Systems", "corporate", "Santa Clara", "semiconductors"},
    {"Pacifica Mobility Inc.", "corporate", "Fremont", "mobility"},
    {"Northstarling Biologics", "corporate", "South San Francisco", "biotech"},
    {"Voltaria Energy", "corporate", "Oakland", "energy"},
    {"Cobaltline Semiconductors", "corporate", "Sunnyvale", "semiconductors"},
    {"Marigold Health Systems", "corporate", "San Francisco", "healthcare"},
    {"Ferrowind Motors", "corporate", "Palo Alto", "automotive"},
    {"Quasarix Cloud", "corporate", "Redwood City", "software"},
    {"Evergrain Foods", "corporate", "Sacramento", "food"},
    {"Lumenquay Devices", "corporate", "Cupertino", "consumer electronics"},
    {"Tesseract Freight", "corporate", "Oakland", "logistics"},
    {"Saltmarsh Water Co.", "corporate", "San Mateo", "water"},
    {"Redgable Retail Group", "corporate", "San Francisco", "retail"},
    {"Orbitrail Logistics", "corporate", "Hayward", "logistics"},
    {"University of Lower Palo Verde", "university", "Palo Alto", "research"},
    {"Stanmoor Institute of Technology", "university", "Stanmoor", "research"},
    {"Cascadia Bay Polytechnic", "university", "Berkeley", "research"},
    {"Bayshore State University", "university", "San José", "research"},
    {"Mission Hills Medical School", "university", "San Francisco", "research"},
    {"Goldleaf Legal LLP", "partner", "San Francisco", "legal"},
    {"Pinecrest Payroll & HR", "partner", "San José", "services"},
    {"Westhaven Realty Offices", "partner", "San Francisco", "real estate"},
    {"Consulat de Fictivie", "public-body", "San Francisco", "public"},
    {"Agence Alpes-Pacifique (fictive)", "public-body", "San Francisco", "public"},
}};

constexpr std::array<sv, 60> french_first{
    "Amélie", "Zoé",    "Hélène",  "Léa",     "Chloé",     "Élodie",   "Anaïs",   "Maëlle",  "Noémie",  "Clémence",
    "Inès",   "Loïc",   "Jérôme",  "Théo",    "Raphaël",   "Benoît",   "Grégoire", "François", "Mathéo", "Aurélien",
    "Joël",   "Gaëtan", "Céline",  "Bérénice", "Solène",   "Eugénie",  "Léonie",  "Agathe",  "Margaux", "Timothée",
    "Stéphane", "Hervé", "Rémi",   "Cécile",  "Ségolène",  "Josué",    "Noël",    "Anaëlle", "Zélie",   "Honoré",
    "Camille", "Lucas", "Manon",   "Hugo",    "Jade",      "Louis",    "Emma",    "Nathan",  "Sarah",   "Arthur",
    "Yasmine", "Karim", "Sofiane", "Leïla",   "Thuy",      "Mathilde", "Julien",  "Pauline", "Bastien", "Océane"};
constexpr std::array<sv, 50> french_last{
    "Dubois",   "Lefèvre",  "Rousseau", "Mercier",  "Girard",    "Bonnet",   "Faure",    "Lambert", "Fontaine", "Chevalier",
    "Brûlé",    "Gauthier", "Perrin",   "Garnier",  "Benoît",    "Boucher",  "Lemaître", "Ménard",  "Pélissier", "Chauvière",
    "Béranger", "Duprés",   "Fénelon",  "Giraud",   "Hébert",    "Joubert",  "Lécuyer",  "Marchal", "Noël",     "Orsini",
    "Péret",    "Quéré",    "Rivière",  "Sénéchal", "Thébault",  "Vallée",   "Xavier",   "Ybert",   "Zéphir",   "Aubépine",
    "Bélanger", "Coquelin", "Delaunay", "Étienne",  "Ferrière",  "Guérin",   "Hérault",  "Isnard",  "Jégou",    "Kervella"};
constexpr std::array<sv, 50> american_first{
    "Olivia", "Mateo",  "Priya",   "Wei",     "Hiroshi", "Ngozi",  "Sofía",   "José",   "Ana",     "Björn",
    "Zoë",    "Chloë",  "Søren",   "Nuño",    "Dmitri",  "Aisha",  "Kwame",   "Mei",    "Jesús",   "Renée",
    "Emily",  "Jacob",  "Madison", "Ethan",   "Ava",     "Noah",   "Harper",  "Liam",   "Abigail", "Mason",
    "Ximena", "Tomás",  "Ingrid",  "Raúl",    "Anjali",  "Kenji",  "Amara",   "Diego",  "Lucía",   "Yusuf",
    "Hannah", "Caleb",  "Grace",   "Elijah",  "Chiara",  "Matteo", "Zainab",  "Oluwaseun", "Pham", "Ji-woo"};
constexpr std::array<sv, 50> american_last{
    "Nguyễn",  "Kowalski", "Patel",    "Okafor",  "Yamamoto", "Johansson", "Ramírez",  "Chen",     "Kim",      "Smith",
    "Johnson", "Levy",     "Da Silva", "Ibáñez",  "Çelik",    "O'Connor",  "Müller",   "Núñez",    "García",   "Møller",
    "Williams", "Brown",   "Davis",    "Martínez", "Hernández", "López",   "González", "Wilson",   "Anderson", "Thomas",
    "Taylor",  "Moore",    "Jackson",  "Lee",     "Thompson", "White",     "Harris",   "Clark",    "Lewis",    "Robinson",
    "Walker",  "Young",    "Allen",    "Wright",  "Scott",    "Green",     "Baker",    "Adams",    "Nakamura", "Van der Berg"};
// A few people write an emoji beside their name (as on LinkedIn).
constexpr std::array<sv, 6> name_emoji{" 🚀", " 🌉", " 🌱", " ☀️", " 🤖", " 🧬"};

constexpr std::array<sv, 30> customer_prefix{
    "Bayview", "Cedarline", "Granite", "Harborlight", "Lumen",   "Meridian", "Nimbusfield", "Orchardia", "Pioneerly",
    "Quartzen", "Redrock",  "Summitry", "Tidal",      "Umberly", "Vistaro",  "Willowmere", "Alderbrook", "Birchwell",
    "Coppervale", "Dunmore", "Elmstead", "Fairhollow", "Glenrock", "Hollyford", "Ironbridge", "Juniperly",
    "Kestrelton", "Lindenhall", "Maplecrest", "Northwick"};
constexpr std::array<sv, 20> customer_core{
    "Robotics", "Analytics", "Foods",    "Logistics", "Health",   "Materials", "Energy",  "Networks", "Devices", "Pharma",
    "Clinics",  "Mobility",  "Software", "Farms",     "Retail",   "Water",     "Aerospace", "Textiles", "Labs",   "Capital"};
constexpr std::array<sv, 8> customer_suffix{"Inc.", "LLC", "Corp.", "Co.", "Group", "Holdings", "SAS", "Ltd."};
constexpr std::array<sv, 10> customer_sectors{"industry", "healthcare", "logistics", "energy",   "retail",
                                               "food",     "software",   "mobility",  "aerospace", "water"};

constexpr std::array<sv, 8> fund_titles{"Partner",  "General Partner", "Principal",  "Investment Associate",
                                        "Venture Partner", "Analyst", "Managing Director", "Platform Lead"};
constexpr std::array<sv, 6> accelerator_titles{"Program Director", "Startup Success Manager", "Mentor",
                                               "Head of Partnerships", "Founder in Residence", "Community Lead"};
constexpr std::array<sv, 10> corporate_titles{"VP Engineering",  "Head of Innovation", "Procurement Lead",
                                              "Open Innovation Manager", "CTO", "Director of R&D",
                                              "Business Development Lead", "Head of Sustainability",
                                              "Chief Medical Officer", "Supply Chain Director"};
constexpr std::array<sv, 5> university_titles{"Professor", "Tech Transfer Officer", "Research Scientist",
                                              "Associate Dean", "Postdoctoral Fellow"};
constexpr std::array<sv, 6> other_titles{"CEO", "COO", "Directrice des achats", "Responsable innovation",
                                         "Attorney", "Office Manager"};

constexpr std::array<Place, 9> bay_area{{{"San Francisco", "US", "America/Los_Angeles"},
                                         {"Palo Alto", "US", "America/Los_Angeles"},
                                         {"San José", "US", "America/Los_Angeles"},
                                         {"Mountain View", "US", "America/Los_Angeles"},
                                         {"Oakland", "US", "America/Los_Angeles"},
                                         {"Berkeley", "US", "America/Los_Angeles"},
                                         {"Menlo Park", "US", "America/Los_Angeles"},
                                         {"Boston", "US", "America/New_York"},
                                         {"New York", "US", "America/New_York"}}};
constexpr std::array<Place, 7> france{{{"Lyon", "FR", "Europe/Paris"},
                                       {"Grenoble", "FR", "Europe/Paris"},
                                       {"Clermont-Ferrand", "FR", "Europe/Paris"},
                                       {"Saint-Étienne", "FR", "Europe/Paris"},
                                       {"Annecy", "FR", "Europe/Paris"},
                                       {"Paris", "FR", "Europe/Paris"},
                                       {"Chambéry", "FR", "Europe/Paris"}}};

constexpr std::array<sv, 10> contact_notes{
    "Rencontré au stand de la région, très intéressé par une démo.",
    "Met at the welcome reception; wants the deck in English.",
    "Ancien ingénieur à Grenoble, parle français 🇫🇷",
    "Asked about pricing for 50 sites ☀️",
    "Intro par l'équipe de la mission — à relancer après le 4 juillet.",
    "Prefers WhatsApp; café à Palo Alto ☕",
    "Connaît bien l'écosystème climat de la baie 🌱",
    "Board member of two portfolio companies.",
    "A suggéré un pilote en Californie au T3.",
    "Très sympa, fan de ski à Chamonix ⛷️"};
constexpr std::array<sv, 8> lead_notes{
    "Budget validé côté client, attente du comité 🤞",
    "Champion interne identifié ; décideur : la CFO.",
    "Needs a US entity before signing.",
    "Concurrence : deux acteurs locaux.",
    "Due diligence démarrée 📑",
    "Wants a reference customer in Europe first.",
    "Relance prévue après l'été ☀️",
    "Term sheet en discussion."};
constexpr std::array<sv, 8> activity_notes{
    "Démo faite, bonnes questions sur l'intégration.",
    "Call with the procurement team; next step is a security review.",
    "Envoyé le deck et la grille tarifaire 📎",
    "Intro to their CTO scheduled.",
    "Échange cordial ; ils reviennent vers nous sous quinze jours.",
    "Asked for a pilot proposal 🚀",
    "Compte rendu partagé avec l'équipe.",
    "Follow-up email sent with case studies."};

char fold_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return static_cast<char>(std::tolower(u));
  return 0;
}

// "Zoé Nguyễn" -> "zoe", "nguyen": accents folded, spaces and punctuation dropped.
std::string ascii_word(std::string_view text) {
  std::string out;
  for (char c : domain::fold_case(text))
    if (char f = fold_char(c)) out += f;
  return out;
}

}  // namespace

std::span<const StartupProfile> startups() { return startup_table; }
std::span<const PartnerProfile> partners() { return partner_table; }

Person person(Random& r, bool american) {
  Person p;
  p.first_name = std::string(american ? r.pick<sv>(american_first) : r.pick<sv>(french_first));
  p.last_name = std::string(american ? r.pick<sv>(american_last) : r.pick<sv>(french_last));
  if (r.chance(2)) p.first_name += r.pick<sv>(name_emoji);
  return p;
}

Person colleague(Random& r) { return person(r, false); }

std::string email_local_part(const Person& p) {
  std::string first = ascii_word(p.first_name), last = ascii_word(p.last_name);
  if (first.empty()) first = "contact";
  return last.empty() ? first : first + "." + last;
}

std::string customer_company(Random& r) {
  return std::string(r.pick<sv>(customer_prefix)) + " " + std::string(r.pick<sv>(customer_core)) + " " +
         std::string(r.pick<sv>(customer_suffix));
}

std::string_view customer_sector(Random& r) { return r.pick<sv>(customer_sectors); }

std::string domain_of(std::string_view company) {
  std::string out;
  bool dash = false;
  for (char c : domain::fold_case(company)) {
    if (char f = fold_char(c)) {
      if (dash && !out.empty()) out += '-';
      out += f;
      dash = false;
    } else {
      dash = true;
    }
  }
  for (std::string_view tail : {"-inc", "-llc", "-corp", "-co", "-ltd", "-sas", "-llp"})
    if (out.ends_with(tail)) out.resize(out.size() - tail.size());
  return out + ".example";
}

std::string_view job_title(Random& r, std::string_view company_kind) {
  if (company_kind == "vc-fund") return r.pick<sv>(fund_titles);
  if (company_kind == "accelerator") return r.pick<sv>(accelerator_titles);
  if (company_kind == "university") return r.pick<sv>(university_titles);
  if (company_kind == "corporate" || company_kind == "customer") return r.pick<sv>(corporate_titles);
  return r.pick<sv>(other_titles);
}

std::string phone(Random& r, bool american) {
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + r.between(0, 9));
    return s;
  };
  if (american) {
    static constexpr std::array<sv, 4> areas{"415", "650", "408", "510"};
    return "+1 (" + std::string(r.pick<sv>(areas)) + ") 555-01" + digits(2);
  }
  return r.chance(50) ? "01 99 00 " + digits(2) + " " + digits(2) : "+33 1 99 00 " + digits(2) + " " + digits(2);
}

Place bay_area_place(Random& r) { return r.pick<Place>(bay_area); }
Place french_place(Random& r) { return r.pick<Place>(france); }

std::string_view contact_note(Random& r) { return r.pick<sv>(contact_notes); }
std::string_view lead_note(Random& r) { return r.pick<sv>(lead_notes); }
std::string_view activity_note(Random& r) { return r.pick<sv>(activity_notes); }

}  // namespace relance::demo
