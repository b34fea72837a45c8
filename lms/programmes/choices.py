"""The lists a practice log chooses from: client groups and activity types.

A programme may set its own in ``practice: client_groups:`` and ``practice: activities:``; these
are the defaults. A client group may be flagged ``refugee`` or ``child`` so that reports can count
refugees and children without knowing a programme's own groups.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """One option of a programme's list, with its titles per language."""

    slug: str
    titles: dict[str, str]
    refugee: bool = False
    child: bool = False

    def title_for(self, language: str) -> str:
        return self.titles.get(language, self.titles["en"])


def _choice(slug: str, en: str, et: str, uk: str, ru: str, **flags) -> Choice:
    return Choice(slug, {"en": en, "et": et, "uk": uk, "ru": ru}, **flags)


DEFAULT_CLIENT_GROUPS = (
    _choice("refugee-child", "Refugee child", "Pagulasest laps", "Дитина-біженець",
            "Ребёнок-беженец", refugee=True, child=True),
    _choice("refugee-adult", "Refugee adult", "Pagulasest täiskasvanu", "Дорослий біженець",
            "Взрослый беженец", refugee=True),
    _choice("refugee-family", "Refugee family", "Pagulaspere", "Родина біженців",
            "Семья беженцев", refugee=True),
    _choice("child", "Other child or young person", "Muu laps või noor",
            "Інша дитина чи молода людина", "Другой ребёнок или молодой человек", child=True),
    _choice("vulnerable-adult", "Other vulnerable adult", "Muu abivajav täiskasvanu",
            "Інша вразлива доросла людина", "Другой уязвимый взрослый"),
    _choice("family", "Other family", "Muu pere", "Інша родина", "Другая семья"),
)  # fmt: skip

DEFAULT_ACTIVITIES = (
    _choice("accompanying", "Accompanying to an office or service",
            "Saatmine ametiasutusse või teenusele", "Супровід до установи чи служби",
            "Сопровождение в учреждение или службу"),
    _choice("home-visit", "Home visit", "Kodukülastus", "Візит додому", "Визит на дом"),
    _choice("documents", "Help with documents and applications",
            "Abi dokumentide ja taotlustega", "Допомога з документами та заявами",
            "Помощь с документами и заявлениями"),
    _choice("school-contact", "Contact with a school or kindergarten",
            "Suhtlus kooli või lasteaiaga", "Контакт зі школою чи садочком",
            "Контакт со школой или детским садом"),
    _choice("health", "Accompanying to health care", "Saatmine tervishoiuteenusele",
            "Супровід до медичних послуг", "Сопровождение к медицинским услугам"),
    _choice("daily-life", "Practical daily-life skills", "Igapäevaelu oskused",
            "Практичні побутові навички", "Практические бытовые навыки"),
    _choice("network", "Meeting with family or network", "Kohtumine pere või võrgustikuga",
            "Зустріч з родиною чи мережею підтримки", "Встреча с семьёй или сетью поддержки"),
    _choice("other", "Other support", "Muu toetus", "Інша підтримка", "Другая поддержка"),
)  # fmt: skip

#: whom a programme prepares (``prepares:`` in its file), in the programmes page's order
AUDIENCES = (
    _choice("support-persons", "Support persons and social workers",
            "Tugiisikud ja sotsiaaltöötajad", "Особи підтримки та соціальні працівники",
            "Опорные лица и социальные работники"),
    _choice("volunteers", "Volunteers who support newcomers",
            "Uussisserändajaid toetavad vabatahtlikud", "Волонтери, які підтримують новоприбулих",
            "Волонтёры, поддерживающие новоприбывших"),
    _choice("trainers", "Trainers and community developers",
            "Koolitajad ja kogukonnaarendajad", "Тренери та фахівці з розвитку громад",
            "Тренеры и специалисты по развитию сообществ"),
    _choice("newcomers", "Newcomers and their families", "Uussisserändajad ja nende pered",
            "Новоприбулі та їхні родини", "Новоприбывшие и их семьи"),
)  # fmt: skip
