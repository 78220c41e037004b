"""Fill the database with demo content. Safe to run any number of times.

The demo accounts, whose passwords are printed, are created only on a local development
database: DEBUG on and the embedded SQLite engine. Anywhere else the command adds content but
never an account with a known password. The demo texts are written for the demo; the
figures of the 4 April statements come from the demonstration register (demo/register.py)
through register snapshots, as placeholders.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from demo import register
from statements import actions
from statements.models import Edition, Kind, Observance, Organisation, Topic
from victims import snapshots
from victims.models import Snapshot

# The periods whose figures demo statements cite, by slug: since the end of the conflict to
# the statement's date (one register snapshot each).
CITED_PERIODS = {
    "mine-awareness-day-2024": register.PERIOD,
    "mine-awareness-day-2025": register.SECOND_PERIOD,
}

DEMO_EDITOR = ("editor", "editor-demo-password")
DEMO_PUBLISHER = ("publisher", "publisher-demo-password")

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
# Published statements keep their real first publication: the morning of their issue date.
PUBLICATION_HOUR = 10

# The demo ministry: the site's identity. The press contact is fictitious and says so.
MINISTRY = {
    "name_en": "Ministry of Foreign Affairs of the Republic of Azerbaijan",
    "name_az": "Azərbaycan Respublikası Xarici İşlər Nazirliyi",
    "name_ru": "Министерство иностранных дел Азербайджанской Республики",
    "short_name_en": "MFA",
    "short_name_az": "XİN",
    "short_name_ru": "МИД",
    "press_email": "press@example.org",
    "press_phone": "+994 12 000 00 00",
    "address_en": "Demo address, not a real office\n1 Example Street, Baku AZ1000",
    "address_az": "Nümayiş ünvanı, real ofis deyil\nNümunə küçəsi 1, Bakı AZ1000",
    "address_ru": "Демонстрационный адрес, не настоящий офис\nул. Примерная, 1, Баку AZ1000",
    "office_hours_en": "Monday to Friday, 09:00–18:00 (demo)",
    "office_hours_az": "Bazar ertəsi – cümə, 09:00–18:00 (nümayiş)",
    "office_hours_ru": "Понедельник – пятница, 09:00–18:00 (демо)",
}
FORMER_MINISTRY_NAME = "Ministry of Foreign Affairs"  # the demo's name before it had an identity

PLACES = {"en": "Baku", "az": "Bakı", "ru": "Баку"}

TOPICS = [
    ("mine-action", "Mine action", "Mina əməliyyatları", "Разминирование"),
    ("victim-assistance", "Victim assistance", "Qurbanlara yardım", "Помощь пострадавшим"),
    ("reconstruction", "Reconstruction", "Bərpa", "Восстановление"),
    ("international-law", "International law", "Beynəlxalq hüquq", "Международное право"),
]

# (slug, kind, issued_on, title, summary, paragraphs, topics, fate)
DEMO_STATEMENTS = [
    (
        "mine-awareness-day-2024",
        Kind.STATEMENT,
        datetime.date(2024, 4, 4),
        "Statement on the International Day for Mine Awareness and Assistance in Mine Action",
        "On 4 April the Ministry recalls the 350 people harmed by landmines since the end of "
        "the conflict and calls for full information on mined areas.",
        [
            "Each year on 4 April the world marks the International Day for Mine Awareness and "
            "Assistance in Mine Action. For our country the day is not symbolic: landmines "
            "still kill and maim people in towns, fields and along roads.",
            "Since the end of the conflict, [[casualties]] people have become victims of "
            "landmine explosions. [[killed]] of them were killed: [[killed.civilian]] "
            "civilians and [[killed.military]] servicemen.",
            "Most of these explosions ([[share.outside_contact_line]] of the incidents where "
            "it is known) happened outside the former line of contact, in places where people "
            "live, farm, rebuild and visit cemeteries, from Lachin and Kalbajar to the south.",
            "In the last year, [[share.outside_mapped_areas.last_year]] of the cases occurred "
            "outside the areas covered by the minefield information that was handed over, "
            "whose accuracy was found to be about 25 per cent.",
            "The Ministry calls on the international community to support complete and "
            "accurate information on mined areas, so that clearance can be planned and lives "
            "saved.",
        ],
        ["mine-action", "victim-assistance"],
        "published",
    ),
    (
        "mine-awareness-day-2025",
        Kind.STATEMENT,
        datetime.date(2025, 4, 4),
        "Statement on the International Day for Mine Awareness, 2025",
        "A year on, the Ministry reports on clearance, on assistance to survivors and on the "
        "information still missing about mined areas.",
        [
            "On this International Day for Mine Awareness and Assistance in Mine Action the "
            "Ministry thanks the deminers who risk their lives so that others can go home.",
            "Landmines and explosive remnants of war continue to cause casualties among "
            "civilians returning to their towns and fields: since the end of the conflict "
            "[[casualties]] people have been killed or injured, [[killed]] of them killed.",
            "We repeat our call for complete and accurate information on mined areas.",
        ],
        ["mine-action", "victim-assistance"],
        "published",
    ),
    (
        "lachin-kalbajar-mines-found",
        Kind.PRESS_RELEASE,
        datetime.date(2022, 8, 30),
        "Anti-personnel mines produced in 2021 found in the Lachin and Kalbajar districts",
        "Deminers found more than 2,700 anti-personnel mines produced in 2021 in the Lachin "
        "and Kalbajar districts.",
        [
            "Clearance teams working in the Lachin and Kalbajar districts found more than 2,700 "
            "anti-personnel mines bearing 2021 production marks.",
            "The Ministry has informed the diplomatic corps and international organisations "
            "and will present the findings at the next meeting of States Parties.",
        ],
        ["mine-action", "international-law"],
        "published",
    ),
    (
        "remarks-demining-conference",
        Kind.SPEECH,
        datetime.date(2025, 6, 12),
        "Remarks at the regional conference on humanitarian demining",
        "Remarks by the Deputy Minister on clearance, victim assistance and the return of "
        "former residents.",
        [
            "Distinguished guests, thank you for joining us to discuss how humanitarian "
            "demining can keep pace with reconstruction.",
            "Our priorities are clear: clear the land people need first, assist survivors for "
            "as long as they need it, and share what we learn with every partner.",
        ],
        ["mine-action", "reconstruction"],
        "published",
    ),
    (
        "comment-january-casualty-figures",
        Kind.COMMENT,
        datetime.date(2025, 2, 3),
        "Comment on the January casualty figures",
        "A comment on landmine casualties recorded in January.",
        ["The Ministry comments on the casualty figures recorded in January."],
        ["victim-assistance"],
        "withdrawn",
    ),
    (
        "joint-statement-victim-assistance",
        Kind.JOINT_STATEMENT,
        datetime.date(2026, 11, 20),
        "Joint statement on assistance to survivors of landmine explosions",
        "A joint statement with partner organisations on long-term support to survivors.",
        ["Draft text, to be agreed with the partner organisations."],
        ["victim-assistance"],
        "draft",
    ),
    (
        "mine-awareness-day-2027",
        Kind.STATEMENT,
        datetime.date(2027, 4, 4),
        "Statement on the International Day for Mine Awareness, 2027",
        "The Ministry's statement for 4 April 2027.",
        ["Scheduled text for the coming International Day for Mine Awareness."],
        ["mine-action"],
        "scheduled",
    ),
]


# Complete Azerbaijani and Russian versions of the 4 April 2024 statement, paragraph for
# paragraph: (title, summary, paragraphs).
TRANSLATIONS_2024 = {
    "az": (
        "Beynəlxalq Mina Maarifləndirmə və Mina Əməliyyatlarında Yardım Günü ilə bağlı bəyanat",
        "4 aprel münasibətilə Nazirlik münaqişə başa çatandan sonra minalardan zərər çəkmiş "
        "350 nəfəri xatırladır və minalanmış ərazilər barədə tam məlumatın verilməsinə çağırır.",
        [
            "Hər il 4 aprel dünyada Beynəlxalq Mina Maarifləndirmə və Mina Əməliyyatlarında "
            "Yardım Günü kimi qeyd olunur. Ölkəmiz üçün bu gün rəmzi xarakter daşımır: minalar "
            "hələ də şəhərlərdə, tarlalarda və yollar boyunca insanların həyatına son qoyur və "
            "onları şikəst edir.",
            "Münaqişə başa çatandan bəri [[casualties]] nəfər mina partlayışlarının qurbanı "
            "olub. Onlardan [[killed]] nəfəri həlak olub: [[killed.civilian]] mülki şəxs və "
            "[[killed.military]] hərbçi.",
            "Bu partlayışların əksəriyyəti (məlum olan hadisələrin "
            "[[share.outside_contact_line]]) keçmiş təmas xəttindən kənarda, insanların "
            "yaşadığı, torpaq əkdiyi, evlərini bərpa etdiyi və qəbiristanlıqları ziyarət etdiyi "
            "yerlərdə, Laçından və Kəlbəcərdən cənuba qədər baş verib.",
            "Son bir ildə hadisələrin [[share.outside_mapped_areas.last_year]] təhvil verilmiş "
            "minalanmış sahələr barədə məlumatın əhatə etmədiyi ərazilərdə baş verib; bu "
            "məlumatın dəqiqliyi təxminən 25 faiz olub.",
            "Nazirlik beynəlxalq ictimaiyyəti minalanmış ərazilər barədə tam və dəqiq məlumatın "
            "əldə edilməsinə dəstək verməyə çağırır ki, təmizləmə işləri planlaşdırılsın və "
            "insanların həyatı xilas edilsin.",
        ],
    ),
    "ru": (
        "Заявление по случаю Международного дня просвещения по вопросам минной опасности и "
        "помощи в деятельности, связанной с разминированием",
        "4 апреля Министерство напоминает о 350 людях, пострадавших от мин после окончания "
        "конфликта, и призывает предоставить полную информацию о заминированных территориях.",
        [
            "Ежегодно 4 апреля мир отмечает Международный день просвещения по вопросам минной "
            "опасности и помощи в деятельности, связанной с разминированием. Для нашей страны "
            "этот день не символичен: мины по-прежнему убивают и калечат людей в городах, на "
            "полях и вдоль дорог.",
            "После окончания конфликта жертвами взрывов мин стали [[casualties]] человек. "
            "[[killed]] из них погибли: [[killed.civilian]] мирных жителей и "
            "[[killed.military]] военнослужащих.",
            "Большинство этих взрывов ([[share.outside_contact_line]] случаев, где это "
            "известно) произошло за пределами бывшей линии соприкосновения, там, где люди "
            "живут, обрабатывают землю, восстанавливают дома и посещают кладбища, от Лачина и "
            "Кельбаджара до юга страны.",
            "За последний год [[share.outside_mapped_areas.last_year]] случаев произошло за "
            "пределами районов, охваченных переданной информацией о минных полях, точность "
            "которой составила около 25 процентов.",
            "Министерство призывает международное сообщество содействовать получению полной и "
            "точной информации о заминированных территориях, чтобы можно было планировать "
            "разминирование и спасать жизни.",
        ],
    ),
}


def first_publication(issued_on: datetime.date) -> datetime.datetime | None:
    """10:00 in Baku on the issue date: when the demo statement was first published (None,
    i.e. now, for a date still to come)."""
    moment = datetime.datetime.combine(issued_on, datetime.time(PUBLICATION_HOUR), tzinfo=BAKU)
    return moment if moment < timezone.now() else None


def local_demo_mode() -> bool:
    """True only for a developer's machine: DEBUG on and the embedded SQLite database."""
    return settings.DEBUG and connection.vendor == "sqlite"


class Command(BaseCommand):
    help = "Add demo content (idempotent). Demo logins only with DEBUG on and SQLite."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        editor = publisher = None
        if local_demo_mode():
            editor = self._demo_account(
                *DEMO_EDITOR, "Editors", first_name="Demo", last_name="Editor"
            )
            publisher = self._demo_account(
                *DEMO_PUBLISHER, "Publishers", first_name="Demo", last_name="Publisher"
            )
        else:
            self.stdout.write("Not a local DEBUG/SQLite database: no demo accounts created.")
        self._organisation()
        topics = self._topics()
        observance = self._observance()
        cited = self._register(registrar_mode=editor is not None)
        created = 0
        for spec in DEMO_STATEMENTS:
            created += self._statement(spec, topics, editor, publisher, observance, cited)
        created += self._translations(editor, publisher)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content is in place ({created} statements added).")
        )

    def _demo_account(self, username: str, password: str, group: str, **names: str):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, **names}
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group))
        verb = "Created" if created else "Reset"
        self.stdout.write(
            f"{verb} demo account ({group}): username '{username}', password '{password}'"
        )
        return user

    def _organisation(self) -> Organisation:
        """The demo ministry, the default issuer; fields an editor has filled are kept."""
        organisation = Organisation.objects.filter(
            name_en__in=[MINISTRY["name_en"], FORMER_MINISTRY_NAME]
        ).first()
        if organisation is None:
            organisation = Organisation(
                is_default=not Organisation.objects.filter(is_default=True).exists()
            )
        if organisation.name_en == FORMER_MINISTRY_NAME:
            organisation.name_en = organisation.name_az = organisation.name_ru = ""
        for field, value in MINISTRY.items():
            if not getattr(organisation, field):
                setattr(organisation, field, value)
        organisation.save()
        return organisation

    def _topics(self) -> dict[str, Topic]:
        topics = {}
        for slug, name_en, name_az, name_ru in TOPICS:
            topics[slug], _created = Topic.objects.get_or_create(
                slug=slug, defaults={"name_en": name_en, "name_az": name_az, "name_ru": name_ru}
            )
        return topics

    def _register(self, registrar_mode: bool) -> dict[str, Snapshot]:
        """The AZ gazetteer, the demonstration register (demo/register.py: its snapshot for
        10 November 2020 to 4 April 2024 gives the 4 April 2024 statement's figures), and a
        snapshot for each period a demo statement cites, by statement slug."""
        from django.core.management import call_command

        call_command("load_areas", "AZ", stdout=self.stdout)
        register.build_demo_register(timezone.localdate())
        cited = {}
        for slug, (start, end) in CITED_PERIODS.items():
            if end > timezone.localdate():
                continue
            snapshot = Snapshot.objects.light().filter(period_from=start, period_to=end).first()
            if snapshot is None:
                snapshot = snapshots.take(period_from=start, period_to=end, by=None)
            cited[slug] = snapshot
        if registrar_mode:
            self._demo_account(
                "registrar",
                "registrar-demo-password",
                "Register reviewers",
                first_name="Demo",
                last_name="Registrar",
            )
        return cited

    def _observance(self) -> Observance:
        observance, _created = Observance.objects.get_or_create(
            slug="mine-awareness-day",
            defaults={
                "month": 4,
                "day": 4,
                "name_en": "International Day for Mine Awareness and Assistance in Mine Action",
                "name_az": "Beynəlxalq Mina Maarifləndirmə və Mina Əməliyyatlarında Yardım Günü",
                "name_ru": "Международный день просвещения по вопросам минной опасности и "
                "помощи в деятельности, связанной с разминированием",
                "description_en": "Observed every year on 4 April since 2006.",
            },
        )
        descriptions = {
            "description_az": "2006-cı ildən bəri hər il 4 aprel tarixində qeyd olunur.",
            "description_ru": "Отмечается ежегодно 4 апреля начиная с 2006 года.",
        }
        for field, text in descriptions.items():
            if not getattr(observance, field):  # also on a database seeded before they existed
                setattr(observance, field, text)
        observance.save()
        return observance

    def _translations(self, editor, publisher) -> int:
        """Azerbaijani and Russian versions of the 2024 statement."""
        original = Edition.objects.listed().filter(slug="mine-awareness-day-2024").first()
        if original is None or original.document.translations().exists():
            return 0
        texts = TRANSLATIONS_2024
        for language, (title, summary, paragraphs) in texts.items():
            draft = actions.create_translation(original, by=editor, language=language)
            draft.title, draft.summary, draft.place = title, summary, PLACES[language]
            body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
            draft.body = body  # type: ignore[assignment]  # the stubs see the field's class
            draft.save()
            actions.submit(draft, by=editor)
            actions.publish(
                draft, by=publisher, first_published_at=first_publication(original.issued_on)
            )
        return len(texts)

    def _statement(self, spec, topics, editor, publisher, observance, cited) -> int:
        slug, kind, issued_on, title, summary, paragraphs, topic_slugs, fate = spec
        if Edition.objects.filter(document__language="en", slug=slug).exists():
            return 0
        statement = actions.create_statement(
            title=title,
            paragraphs=paragraphs,
            language="en",
            issued_on=issued_on,
            kind=kind,
            summary=summary,
            place=PLACES["en"],
            by=editor,
        )
        statement.slug = slug
        statement.save(update_fields=["slug"])
        statement.topics.set([topics[name] for name in topic_slugs])
        if slug.startswith("mine-awareness-day"):
            statement.observance = observance
            statement.save(update_fields=["observance"])
        if slug in cited:
            statement.figures_snapshot = cited[slug]
            statement.save(update_fields=["figures_snapshot"])
        if fate == "draft":
            return 1
        actions.submit(statement, by=editor)
        if fate == "scheduled":
            actions.schedule(
                statement, by=publisher, at=timezone.now() + datetime.timedelta(days=3)
            )
            return 1
        actions.publish(statement, by=publisher, first_published_at=first_publication(issued_on))
        if fate == "withdrawn":
            actions.withdraw(
                statement,
                by=publisher,
                explanation="These figures were provisional and have been replaced by the "
                "verified figures in the casualty register.",
            )
        return 1
