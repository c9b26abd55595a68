// The catalogue of messages.hpp: every sentence shown to a person, in English and in French.
// Data only. A key names where the sentence is used; {0}, {1}... are filled in by message().
// French typography: a no-break space (U+00A0) before ":", ";", "?" and inside « ».
#include "domain/messages.hpp"

namespace relance::domain {
namespace {

constexpr CatalogueEntry entries[] = {
    // Pipeline stages (the default ones; an organisation's own stages show as written).
    {"stage.new", "New", "Nouveau"},
    {"stage.contacted", "Contacted", "Contacté"},
    {"stage.meeting", "Meeting", "Rendez-vous"},
    {"stage.proposal", "Proposal", "Proposition"},
    {"stage.won", "Won", "Gagné"},
    {"stage.lost", "Lost", "Perdu"},

    // The page behind a reminder's done/snooze link.
    {"link.verb.done", "Mark done", "Marquer comme fait"},
    {"link.verb.snooze", "Snooze a day", "Reporter d’un jour"},
    {"link.question", "{0}: \"{1}\"?", "{0}\u00a0: «\u00a0{1}\u00a0»\u00a0?"},
    {"link.due", "Due {0}.", "Prévue le {0}."},
    {"link.recipient", "This link was sent to {0}; the change is made in their name.",
     "Ce lien a été envoyé à {0}\u00a0; la modification est faite en son nom."},
    {"link.confirm_by_post", "POST to this address to confirm.", "Confirmez par un POST à cette adresse."},
    {"link.title.done", "Done", "C’est fait"},
    {"link.title.nothing", "Nothing to do", "Rien à faire"},
    {"link.title.not_done", "Not done", "Pas fait"},
    {"link.title.refused", "Not possible", "Impossible"},
    {"link.is_done", "\"{0}\" is done.", "«\u00a0{0}\u00a0» est faite."},
    {"link.is_snoozed", "\"{0}\" is snoozed to {1}.", "«\u00a0{0}\u00a0» est reportée au {1}."},
    {"link.already_done", "\"{0}\" was already done.", "«\u00a0{0}\u00a0» était déjà faite."},
    {"link.already_snoozed", "\"{0}\" was already snoozed to {1}.", "«\u00a0{0}\u00a0» était déjà reportée au {1}."},
    {"link.failed", "The follow-up could not be changed; try again later.",
     "La relance n’a pas pu être modifiée\u00a0; réessayez plus tard."},
    {"link.moved", "This follow-up changed since the email was sent (its due date moved); open it in Relance.",
     "Cette relance a changé depuis l’envoi du message (sa date a bougé)\u00a0; ouvrez-la dans Relance."},
    {"link.changed", "This follow-up was changed since the email was sent; open it in Relance.",
     "Cette relance a été modifiée depuis l’envoi du message\u00a0; ouvrez-la dans Relance."},
    {"link.closed", "This follow-up is {0} already.", "Cette relance est déjà {0}."},
    {"link.bad_action", "the link's action is neither done nor snooze",
     "l’action du lien n’est ni « fait » ni « reporter »"},
    {"link.incomplete",
     "the link is incomplete (due, v, to, exp and sig are required); a link from an email older than this "
     "version of Relance no longer acts: open the follow-up in Relance instead",
     "le lien est incomplet (due, v, to, exp et sig sont requis) ; un lien d’un message plus ancien que "
     "cette version de Relance n’agit plus : ouvrez la relance dans Relance"},
    {"link.bad_due", "the link's due instant is not an instant", "l’échéance du lien n’est pas un instant"},
    {"link.forged", "the link's signature does not match: it was altered or not made by this server",
     "la signature du lien ne correspond pas : il a été modifié, ou ce serveur ne l’a pas fait"},
    {"link.expired", "the link expired on {0}; open the follow-up in Relance instead",
     "le lien a expiré le {0} ; ouvrez la relance dans Relance"},
    {"link.gone", "this follow-up no longer exists", "cette relance n’existe plus"},
    {"link.recipient_refused",
     "the person this link was sent to can no longer change this follow-up; open it in Relance",
     "la personne à qui ce lien a été envoyé ne peut plus modifier cette relance ; ouvrez-la dans Relance"},
    {"link.other_site",
     "this confirmation was sent from another site; open the link from the email and press its button",
     "cette confirmation vient d’un autre site ; ouvrez le lien depuis le message et appuyez sur son bouton"},
    {"status.done", "done", "faite"},

    // The page behind a set-password link (an invitation, a reset), and its answers.
    {"password.title", "Set your password", "Choisissez votre mot de passe"},
    {"password.no_token", "This address lacks its token: open the link from the email as it is.",
     "Cette adresse n’a pas son jeton : ouvrez le lien du message tel qu’il est."},
    {"password.new", "New password (10 characters at least)", "Nouveau mot de passe (10 caractères au moins)"},
    {"password.again", "The same again", "Le même, une seconde fois"},
    {"password.submit", "Set my password", "Enregistrer mon mot de passe"},
    {"password.once", "The link works once. Setting the password ends every other session of the account.",
     "Le lien ne sert qu’une fois. Choisir le mot de passe met fin à toutes les autres sessions du compte."},
    {"password.differ", "The two passwords differ; type the same one twice.",
     "Les deux mots de passe diffèrent ; tapez deux fois le même."},
    {"password.set_title", "Password set", "Mot de passe enregistré"},
    {"password.set", "Your password is set, and every earlier session ended. Log in with it:",
     "Votre mot de passe est enregistré, et toutes les sessions précédentes sont closes. Connectez-vous avec lui :"},
    {"password.not_set_title", "Password not set", "Mot de passe non enregistré"},
    {"password.length", "password must have 10 to 1024 characters",
     "le mot de passe doit avoir de 10 à 1024 caractères"},
    {"password.link_invalid", "this link is not valid: ask for a new one",
     "ce lien n’est pas valide : demandez-en un nouveau"},
    {"password.link_used", "this link was already used or replaced by a newer one: ask for a new one",
     "ce lien a déjà servi, ou un plus récent l’a remplacé : demandez-en un nouveau"},
    {"password.link_expired", "this link has expired: ask for a new one",
     "ce lien a expiré : demandez-en un nouveau"},
    {"password.account_disabled", "this account is disabled", "ce compte est désactivé"},
    {"status.cancelled", "cancelled", "annulée"},

    // The command line.
    {"cli.bad_instant", "{0}: cannot read \"{1}\" as a time. Accepted forms: {2}.",
     "{0}\u00a0: «\u00a0{1}\u00a0» n’est pas une date lisible. Formes acceptées\u00a0: {2}."},
    {"cli.bad_zone", "{0} is not a time zone (an IANA name such as Europe/Paris or America/Los_Angeles).",
     "{0} n’est pas un fuseau horaire (un nom IANA comme Europe/Paris ou America/Los_Angeles)."},
    {"cli.created", "created", "créé"},
    {"cli.updated", "updated", "modifié"},
    {"cli.deleted", "deleted", "supprimé"},
    {"cli.done", "done", "faite"},
    {"cli.snoozed_until", "snoozed until {0}", "reportée au {0}"},
    {"cli.nothing_to_change", "nothing to change: give the fields to change (--help lists them)",
     "rien à modifier\u00a0: donnez les champs à changer (--help les liste)"},
    {"cli.not_logged_in", "not logged in: run `relance login`, or set RELANCE_URL and RELANCE_TOKEN",
     "pas connecté\u00a0: lancez `relance login`, ou définissez RELANCE_URL et RELANCE_TOKEN"},
    {"cli.token_refused", "the daemon refused the token ({0}): run `relance login`",
     "le démon a refusé le jeton ({0})\u00a0: lancez `relance login`"},
    {"cli.not_allowed", "refused: {0}", "refusé\u00a0: {0}"},
    {"cli.not_found", "not found: {0}", "introuvable\u00a0: {0}"},
    {"cli.daemon_answered", "the daemon answered {0}: {1}", "le démon a répondu {0}\u00a0: {1}"},
    {"cli.nothing.today", "nothing due today", "rien à faire aujourd’hui"},
    {"cli.nothing.overdue", "nothing overdue", "rien en retard"},
    {"cli.nothing.upcoming", "nothing upcoming", "rien à venir"},
};

}  // namespace

std::span<const CatalogueEntry> message_catalogue() { return entries; }

}  // namespace relance::domain
