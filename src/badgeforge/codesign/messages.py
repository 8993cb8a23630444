# ruff: noqa: RUF001 - French typography: apostrophes and quotation marks are intended
"""French and English words of the co-design page: short sentences, plain language."""

from badgeforge.pages.i18n import Language

FIELD_LABELS: dict[str, dict[Language, str]] = {
    "name": {"fr": "Nom du badge", "en": "Name of the badge"},
    "audience": {"fr": "Pour qui ?", "en": "Who is it for?"},
    "description": {"fr": "Ce que le badge reconnaît", "en": "What the badge recognises"},
    "criteria": {"fr": "Pour l’obtenir", "en": "How to earn it"},
    "evidence_expectations": {"fr": "Les preuves", "en": "Evidence"},
    "endorsement_expectations": {"fr": "Les recommandations", "en": "Endorsements"},
    "alignments": {"fr": "Compétences visées", "en": "Competencies"},
    "levels": {"fr": "Niveaux", "en": "Levels"},
    "translations": {
        "fr": "Autres langues et version facile à lire",
        "en": "Other languages and easy-to-read version",
    },
    "image": {"fr": "Image du badge", "en": "Badge image"},
    "general": {"fr": "Le badge en général", "en": "The badge as a whole"},
}
FIELD_HELP: dict[str, dict[Language, str]] = {
    "name": {
        "fr": "Un nom court. Tout le monde doit le comprendre.",
        "en": "A short name. Everyone must understand it.",
    },
    "audience": {
        "fr": "Pour qui est ce badge ? Par exemple : toute personne qui travaille en atelier.",
        "en": "Who is this badge for? For example: anyone who works in a workshop.",
    },
    "description": {
        "fr": "Qu’est-ce que ce badge reconnaît ? Écrivez à la première personne : "
        "« Avec ce badge, je montre que… »",
        "en": "What does this badge recognise? Write in the first person: "
        "“With this badge, I show that…”",
    },
    "criteria": {
        "fr": "Que faut-il montrer pour l’obtenir ? Écrivez une idée par ligne, "
        "avec un tiret au début.",
        "en": "What must one show to earn it? Write one idea per line, starting with a dash.",
    },
    "evidence_expectations": {
        "fr": "Quels documents peuvent le prouver ? Par exemple : des photos, une vidéo, "
        "une attestation.",
        "en": "Which documents can prove it? For example: photos, a video, a certificate.",
    },
    "endorsement_expectations": {
        "fr": "Qui peut le recommander ? Par exemple : un éducateur, un tuteur, des collègues.",
        "en": "Who can recommend it? For example: an educator, a tutor, colleagues.",
    },
    "alignments": {
        "fr": "Les compétences d’un référentiel, comme RECTEC. L’équipe les choisit.",
        "en": "Competencies of a framework, such as RECTEC. The team chooses them.",
    },
    "levels": {
        "fr": "Les niveaux de maîtrise, du plus simple au plus avancé. L’équipe les choisit.",
        "en": "The mastery levels, from the simplest to the most advanced. The team chooses them.",
    },
    "translations": {
        "fr": "Le badge en anglais et en français facile à lire. L’équipe les écrit.",
        "en": "The badge in English and in easy-to-read French. The team writes them.",
    },
    "image": {
        "fr": "L’image que l’on voit sur le badge. L’équipe la choisit.",
        "en": "The picture shown on the badge. The team chooses it.",
    },
    "general": {
        "fr": "Un commentaire sur tout le badge.",
        "en": "A comment about the whole badge.",
    },
}
STATES: dict[str, dict[Language, str]] = {
    "draft": {"fr": "Brouillon", "en": "Draft"},
    "in_review": {"fr": "En relecture", "en": "In review"},
    "published": {"fr": "Publié", "en": "Published"},
    "archived": {"fr": "Archivé", "en": "Archived"},
}
NEXT_STEPS: dict[str, dict[Language, str]] = {
    "draft": {
        "fr": "La fiche se construit ensemble. Quand elle est prête, un éditeur ou une "
        "éditrice l’envoie en relecture.",
        "en": "The form is being written together. When it is ready, an editor sends it "
        "for review.",
    },
    "in_review": {
        "fr": "L’équipe relit la fiche. Elle peut la publier, ou la renvoyer en brouillon "
        "pour la modifier. Vous pouvez toujours commenter.",
        "en": "The team is reviewing the form. It can publish it, or send it back to draft "
        "for changes. You can still comment.",
    },
    "published": {
        "fr": "Le badge est publié : il peut être délivré. Une modification crée une "
        "nouvelle version, en brouillon.",
        "en": "The badge is published: it can be awarded. A change starts a new version, "
        "as a draft.",
    },
    "archived": {
        "fr": "Le badge n’est plus délivré. Vous pouvez encore lire la fiche et commenter.",
        "en": "The badge is no longer awarded. You can still read the form and comment.",
    },
}
ACTIONS: dict[str, dict[Language, str]] = {
    "create": {"fr": "a créé le badge", "en": "created the badge"},
    "edit": {"fr": "a modifié : {fields}", "en": "changed: {fields}"},
    "image": {"fr": "a changé l’image", "en": "changed the image"},
    "comment": {"fr": "a commenté « {fields} »", "en": "commented on “{fields}”"},
    "submit": {"fr": "a envoyé la fiche en relecture", "en": "sent the form for review"},
    "return": {"fr": "a renvoyé la fiche en brouillon", "en": "sent the form back to draft"},
    "publish": {"fr": "a publié la version {number}", "en": "published version {number}"},
    "archive": {"fr": "a archivé le badge", "en": "archived the badge"},
    "restore": {"fr": "a remis le badge en service", "en": "restored the badge"},
    "discard_draft": {"fr": "a abandonné le brouillon", "en": "discarded the draft"},
}
MESSAGES: dict[str, dict[Language, str]] = {
    "codesign_title": {
        "fr": "Co-construire le badge « {name} »",
        "en": "Co-design the badge “{name}”",
    },
    "image_of": {"fr": "Image du badge « {name} »", "en": "Image of the badge “{name}”"},
    "other_settings": {"fr": "autres réglages", "en": "other settings"},
    "easy_read": {"fr": "Français facile à lire", "en": "Easy-to-read French"},
    "hello": {"fr": "Bonjour {name}.", "en": "Hello {name}."},
    "role_editor": {
        "fr": "Vous pouvez modifier la fiche, la commenter et l’envoyer en relecture.",
        "en": "You can change the form, comment on it and send it for review.",
    },
    "role_commenter": {
        "fr": "Vous pouvez lire la fiche et la commenter.",
        "en": "You can read the form and comment on it.",
    },
    "link_until": {
        "fr": "Ce lien est personnel. Il fonctionne jusqu’au {date}.",
        "en": "This link is personal. It works until {date}.",
    },
    "where": {"fr": "Où en est le badge", "en": "Where the badge stands"},
    "state": {"fr": "État", "en": "State"},
    "version": {"fr": "Version", "en": "Version"},
    "next": {"fr": "Et ensuite", "en": "What happens next"},
    "matrix": {"fr": "La fiche du badge", "en": "The badge form"},
    "matrix_intro": {
        "fr": "Remplissez ce que vous pouvez. Les champs marqués « obligatoire » doivent "
        "être remplis.",
        "en": "Fill in what you can. Fields marked “required” must be filled in.",
    },
    "required": {"fr": "obligatoire", "en": "required"},
    "empty": {"fr": "Pas encore rempli.", "en": "Not filled in yet."},
    "save": {"fr": "Enregistrer la fiche", "en": "Save the form"},
    "not_editable_review": {
        "fr": "La fiche est en relecture : elle ne peut pas être modifiée pour l’instant. "
        "Vous pouvez commenter.",
        "en": "The form is in review: it cannot be changed for now. You can comment.",
    },
    "not_editable_archived": {
        "fr": "Le badge est archivé : la fiche ne peut plus être modifiée. Vous pouvez commenter.",
        "en": "The badge is archived: the form can no longer be changed. You can comment.",
    },
    "submit_title": {"fr": "Envoyer en relecture", "en": "Send for review"},
    "submit_intro": {
        "fr": "La fiche est prête ? Envoyez-la à l’équipe. Elle ne pourra plus être "
        "modifiée pendant la relecture.",
        "en": "Is the form ready? Send it to the team. It cannot be changed during the review.",
    },
    "submit": {"fr": "Envoyer en relecture", "en": "Send for review"},
    "comments": {"fr": "Commentaires", "en": "Comments"},
    "comments_on": {"fr": "Commentaires ({count})", "en": "Comments ({count})"},
    "comments_intro": {
        "fr": "Enregistrez la fiche avant de commenter : un commentaire n’enregistre pas la fiche.",
        "en": "Save the form before commenting: a comment does not save the form.",
    },
    "no_comments": {"fr": "Aucun commentaire.", "en": "No comments."},
    "write_comment": {"fr": "Écrire un commentaire", "en": "Write a comment"},
    "your_comment": {"fr": "Votre commentaire", "en": "Your comment"},
    "comment_hint": {"fr": "2 000 caractères au plus.", "en": "2,000 characters at most."},
    "add_comment": {"fr": "Ajouter le commentaire", "en": "Add the comment"},
    "back_to_field": {"fr": "Revenir au champ", "en": "Back to the field"},
    "history": {"fr": "Historique", "en": "History"},
    "no_history": {"fr": "Rien pour l’instant.", "en": "Nothing yet."},
    "at": {"fr": "{date} à {time} (UTC)", "en": "{date} at {time} (UTC)"},
    "staff": {"fr": "L’équipe ({name})", "en": "The team ({name})"},
    "version_of": {"fr": "version {number}", "en": "version {number}"},
    "done_saved": {"fr": "La fiche est enregistrée.", "en": "The form is saved."},
    "done_unchanged": {
        "fr": "Rien n’a changé : la fiche est la même.",
        "en": "Nothing changed: the form is the same.",
    },
    "done_commented": {"fr": "Votre commentaire est ajouté.", "en": "Your comment is added."},
    "done_submitted": {
        "fr": "La fiche est envoyée en relecture.",
        "en": "The form is sent for review.",
    },
    "errors_title": {
        "fr": "Il y a un problème à corriger",
        "en": "There is a problem to fix",
    },
    "error_required": {"fr": "Remplissez ce champ.", "en": "Fill in this field."},
    "error_too_long": {
        "fr": "Ce texte est trop long : {max} caractères au plus.",
        "en": "This text is too long: {max} characters at most.",
    },
    "error_invalid": {
        "fr": "Ce texte contient un caractère qui ne peut pas être publié.",
        "en": "This text contains a character that cannot be published.",
    },
    "error_changed": {
        "fr": "Quelqu’un a modifié la fiche pendant que vous écriviez. Vos textes sont "
        "ci-dessous, rien n’est enregistré : relisez puis enregistrez de nouveau.",
        "en": "Someone changed the form while you were writing. Your texts are below and "
        "nothing is saved: read again, then save again.",
    },
    "error_not_editable": {
        "fr": "La fiche ne peut pas être modifiée maintenant : elle est {state}.",
        "en": "The form cannot be changed now: it is {state}.",
    },
    "error_not_submittable": {
        "fr": "Seul un brouillon peut être envoyé en relecture. La fiche est {state}.",
        "en": "Only a draft can be sent for review. The form is {state}.",
    },
    "error_role": {
        "fr": "Votre invitation permet seulement de lire et de commenter.",
        "en": "Your invitation only lets you read and comment.",
    },
    "error_action": {
        "fr": "Cette action n’existe pas sur cette page.",
        "en": "This action does not exist on this page.",
    },
    "ended_title": {"fr": "Ce lien ne fonctionne plus", "en": "This link no longer works"},
    "ended": {
        "fr": "L’invitation a expiré ou a été retirée. Demandez un nouveau lien à la "
        "personne qui vous a invité.",
        "en": "The invitation has expired or was withdrawn. Ask the person who invited you "
        "for a new link.",
    },
    "unknown_title": {"fr": "Lien inconnu", "en": "Unknown link"},
    "unknown": {
        "fr": "Aucune invitation ne correspond à ce lien. Vérifiez qu’il est complet.",
        "en": "No invitation matches this link. Check that it is complete.",
    },
}
