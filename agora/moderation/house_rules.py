"""The house rules as the site first published them: six rules, in English and Spanish. Every
decision names one rule in one wording (`Rule`); an authority changes a rule by adding its next
version, never by editing the old one."""

RULES = [
    (
        "Be respectful",
        "Argue about ideas, not people. No insults, threats, harassment or hate against anyone, "
        "for who they are or what they think.",
        "Respeta a los demás",
        "Discute ideas, no personas. Nada de insultos, amenazas, acoso ni odio contra nadie, por "
        "quién es o por lo que piensa.",
    ),
    (
        "Stay on topic",
        "Keep posts and comments about public matters and the conversation you are in. No "
        "advertising or spam.",
        "No te salgas del tema",
        "Que las publicaciones y los comentarios traten de asuntos públicos y de la "
        "conversación en la que estás. Nada de publicidad ni spam.",
    ),
    (
        "Be truthful",
        "Do not pretend to be someone else, an office or an official. Say where a claim comes "
        "from when you can.",
        "Di la verdad",
        "No te hagas pasar por otra persona, por una oficina ni por un cargo público. Cuando "
        "puedas, di de dónde sale lo que afirmas.",
    ),
    (
        "Protect privacy",
        "Do not publish anyone's personal details (address, phone, health, photos of people who "
        "did not agree) without their consent, your own included when you would rather not.",
        "Protege la privacidad",
        "No publiques datos personales de nadie (dirección, teléfono, salud, fotos de personas "
        "que no lo aceptaron) sin su consentimiento, tampoco los tuyos si prefieres no hacerlo.",
    ),
    (
        "Respect the law",
        "Nothing illegal, and nothing that is not yours to share.",
        "Respeta la ley",
        "Nada ilegal, ni nada que no te corresponda compartir.",
    ),
    (
        "One person, one voice",
        "Do not use several accounts to support your own posts, proposals or votes.",
        "Una persona, una voz",
        "No uses varias cuentas para apoyar tus propias publicaciones, propuestas o votos.",
    ),
]


def publish(rule_model) -> None:
    """Publish the first wording unless it is there (the migration, and tests that empty the
    database)."""
    for number, (title_en, text_en, title_es, text_es) in enumerate(RULES, start=1):
        rule_model.objects.get_or_create(
            number=number,
            version=1,
            defaults={
                "title_en": title_en,
                "text_en": text_en,
                "title_es": title_es,
                "text_es": text_es,
            },
        )
