"""Statements as partners receive them. Fields are listed explicitly; the nested parts are
serializers of their own (an issuer, a topic, an attachment...), and no logic lives here
beyond shaping what the models and querysets already say."""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from statements.addresses import Paths
from statements.models import Attachment, Edition, Observance, Organisation, Topic

# Times inside nested objects have always been given in UTC ("Z"); the top-level fields in
# the site's time zone. Kept as they are: partners parse both.
UTC = datetime.UTC


@extend_schema_field(serializers.URLField())
class AbsoluteURLField(serializers.ReadOnlyField):
    """A path made absolute with the request's host (left as a path without a request)."""

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value


class StorageURLField(AbsoluteURLField):
    """A stored file's name as the absolute URL it is served at."""

    def to_representation(self, value):
        return super().to_representation(default_storage.url(value))


class IssuerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_en")
    url = serializers.CharField(allow_blank=True)

    class Meta:
        model = Organisation
        fields = ["name", "url"]


class TopicSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_en")

    class Meta:
        model = Topic
        fields = ["slug", "name"]


class ObservanceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_en")

    class Meta:
        model = Observance
        fields = ["slug", "name"]


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    url = StorageURLField(source="name")


class ImageSerializer(serializers.Serializer):
    """The statement's image, in widths to choose from; null without one."""

    # Reads the edition itself (source="*").

    alt = serializers.CharField(source="image_alt")
    renditions = RenditionSerializer(many=True, source="image_renditions")

    def to_representation(self, instance):
        return super().to_representation(instance) if instance.image else None


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="file", use_url=True)

    class Meta:
        model = Attachment
        fields = ["title", "url", "media_type", "size"]


class ChangeNoteSerializer(serializers.Serializer):
    """A public change note: what changed, and when it went live."""

    # Serializes (note, date) pairs, as the views' rows (`_shaped`) hold them.

    note = serializers.CharField()
    date = serializers.DateTimeField(default_timezone=UTC)

    def to_representation(self, instance):
        note, date = instance
        return super().to_representation({"note": note, "date": date})


class WithdrawalSerializer(serializers.Serializer):
    """Why and when the statement was withdrawn; null unless it is."""

    # Reads the edition itself (source="*").

    explanation = serializers.CharField(source="withdrawal_explanation")
    withdrawn_at = serializers.DateTimeField(default_timezone=UTC)

    def to_representation(self, instance):
        return super().to_representation(instance) if instance.state == "withdrawn" else None


class TranslationSerializer(serializers.ModelSerializer):
    """Another language version of a statement: its stable id and its page."""

    id = serializers.IntegerField(source="document_id")
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Edition
        fields = ["id", "url"]


STATEMENT_EXAMPLE = {
    "id": 12,
    "translation_key": "3f1c9a52-5a0e-4b8e-9d55-0d9b8e2f6a10",
    "language": "en",
    "kind": "statement",
    "title": "Statement on the International Day for Mine Awareness",
    "slug": "mine-awareness-day-2024",
    "summary": "On 4 April the Ministry recalls the people harmed by landmines.",
    "body_html": "<p>Since the end of the conflict, 350 people have become victims.</p>",
    "issued_on": "2024-04-04",
    "place": "Baku",
    "reference_number": "45/2024",
    "issuer": {"name": "Ministry of Foreign Affairs", "url": ""},
    "topics": [{"slug": "mine-action", "name": "Mine action"}],
    "observance": {"slug": "mine-awareness-day", "name": "International Day for Mine Awareness"},
    "first_published_at": "2024-04-04T06:00:00Z",
    "public_updated_at": "2024-04-05T09:30:00Z",
    "status": "published",
    "withdrawal": None,
    "change_notes": [{"note": "Added the figures for March.", "date": "2024-04-05T09:30:00Z"}],
    "translations": {
        "ru": {"id": 13, "url": "https://press.example.org/ru/statements/2024/04/04/x/"}
    },
    "url": "https://press.example.org/en/statements/2024/04/04/mine-awareness-day-2024/",
    "short_url": "https://press.example.org/s/12/",
    "image": None,
    "attachments": [],
    "figures": {
        "snapshot": 1,
        "url": "https://press.example.org/en/casualties/snapshots/1/",
        "sha256": "9b2e0c3f5d7a41c6b8e2f0a9d3c5e7b1a4f6d8c0e2b4a6c8d0f2e4a6b8c0d2e4",
    },
    "sha256": "f47d74bd7743cd5a88c55c9c6497da905c79f6846ea2e75d1de32c7a1d34122f",
}


class CitedFiguresSerializer(serializers.Serializer):
    """The register snapshot whose figures the statement cites."""

    snapshot = serializers.IntegerField(source="number", help_text="The snapshot's number.")
    url = AbsoluteURLField(source="get_absolute_url", help_text="Its public page.")
    sha256 = serializers.CharField(help_text="SHA-256 of its canonical JSON.")


@extend_schema_serializer(examples=[OpenApiExample("A statement", value=STATEMENT_EXAMPLE)])
class StatementSerializer(serializers.ModelSerializer):
    """A statement as the public sees it now (its live edition)."""

    # Through DRF's generic path (the schema, and the tests' reference), the change notes
    # and language versions are read from the context.

    id = serializers.IntegerField(
        source="document_id", help_text="Stable id of this language version."
    )
    translation_key = serializers.UUIDField(source="document.translation_key")
    language = serializers.CharField(source="document.language")
    body_html = serializers.CharField(
        source="rendered_body", help_text="Sanitised HTML, figure placeholders rendered."
    )
    issuer = IssuerSerializer()
    topics = TopicSerializer(many=True)
    observance = ObservanceSerializer(allow_null=True)
    first_published_at = serializers.DateTimeField(source="document.first_published_at")
    status = serializers.ChoiceField(source="state", choices=["published", "withdrawn"])
    withdrawal = WithdrawalSerializer(source="*", allow_null=True)
    change_notes = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    url = AbsoluteURLField(source="get_absolute_url")
    short_url = AbsoluteURLField(source="document.get_absolute_url")
    image = ImageSerializer(source="*", allow_null=True)
    attachments = AttachmentSerializer(many=True)
    figures = serializers.SerializerMethodField(
        help_text="The register snapshot the statement's figures come from, or null."
    )

    class Meta:
        model = Edition
        fields = [
            "id",
            "translation_key",
            "language",
            "kind",
            "title",
            "slug",
            "summary",
            "body_html",
            "issued_on",
            "place",
            "reference_number",
            "issuer",
            "topics",
            "observance",
            "first_published_at",
            "public_updated_at",
            "status",
            "withdrawal",
            "change_notes",
            "translations",
            "url",
            "short_url",
            "image",
            "attachments",
            "figures",
            "sha256",
        ]

    def to_representation(self, instance):
        """Written out by hand from a statement's row (`with_parts` in the views): the same
        object as the declared fields give from an edition through DRF's generic path
        (`ModelSerializer.to_representation`), which costs about 0.5 ms per statement in
        field lookups. The fields above stay the schema's source; the tests compare both
        paths on statements with every part filled and empty
        (tests/api/test_statement_representation.py)."""
        return represent(instance, self.context)

    @extend_schema_field(CitedFiguresSerializer(allow_null=True))
    def get_figures(self, obj):
        """The snapshot's page in the statement's language."""
        if obj.cited_snapshot is None:
            return None
        with translation.override(obj.language):
            return CitedFiguresSerializer(obj.cited_snapshot, context=self.context).data

    @extend_schema_field(ChangeNoteSerializer(many=True))
    def get_change_notes(self, obj):
        notes = self.context.get("change_notes", {}).get(obj.document_id, [])
        return ChangeNoteSerializer(notes, many=True).data

    @extend_schema_field(serializers.DictField(child=TranslationSerializer()))
    def get_translations(self, obj):
        versions = self.context.get("translations", {}).get(obj.document.translation_key, {})
        return {
            language: TranslationSerializer(version, context=self.context).data
            for language, version in versions.items()
            if version.document_id != obj.document_id
        }


def _time(zone: datetime.tzinfo, value: datetime.datetime | None) -> str | None:
    """An aware time as DRF's DateTimeField writes it in `zone` (ISO 8601, "Z" for UTC),
    without looking the zone up for each time (two fifths of the time `represent` took)."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class _Shared:
    """What `represent` looks up once for all the statements of a response: the time zone,
    the paths' prefixes and the request's scheme and host (each read from the request's
    context: some 250 reads for a list of 50, a third of the time it took)."""

    def __init__(self, request) -> None:
        self.zone = timezone.get_current_timezone()
        self.paths = Paths()
        self.absolute = request.build_absolute_uri if request is not None else str
        self.host = request.build_absolute_uri("/")[:-1] if request is not None else ""

    def absolute_path(self, path: str) -> str:
        """A path of ours (quoted, under the script prefix) made absolute, as
        `build_absolute_uri` makes it."""
        return self.host + path if "/." not in path else self.absolute(path)


def represent(row: dict, context: dict) -> dict:
    """A statement as `StatementSerializer` describes it, from its row as `with_parts`
    (statements/api/views.py) reads it: its own columns, its statement's, issuer's and
    observance's, and its topics, attachments, change notes and language versions. `context`
    is the serializer's: the request (for absolute URLs) and the cited register snapshots."""
    from statements import citations

    shared = context.get("shared")
    if shared is None:
        shared = context["shared"] = _Shared(context.get("request"))
    absolute = shared.absolute
    language = row["document__language"]
    snapshot = context.get("snapshots", {}).get(row["figures_snapshot_id"])
    figures = None
    if snapshot is not None:
        with translation.override(language):
            figures = {
                "snapshot": snapshot.number,
                "url": absolute(snapshot.get_absolute_url()),
                "sha256": snapshot.sha256,
            }
    image = None
    if row["image"]:
        image = {
            "alt": row["image_alt"],
            "renditions": [
                {
                    "width": int(rendition["width"]),
                    "url": absolute(default_storage.url(rendition["name"])),
                }
                for rendition in row["image_renditions"]
            ],
        }
    withdrawal = None
    if row["state"] == "withdrawn":
        withdrawal = {
            "explanation": row["withdrawal_explanation"],
            "withdrawn_at": _time(UTC, row["withdrawn_at"]),
        }
    document_id = row["document_id"]
    observance_slug = row["observance__slug"]
    return {
        "id": document_id,
        "translation_key": str(row["document__translation_key"]),
        "language": language,
        "kind": row["kind"],
        "title": row["title"],
        "slug": row["slug"],
        "summary": row["summary"],
        # As `Edition.rendered_body`: the cited snapshot's figures in the placeholders.
        "body_html": citations.render(
            row["body"], snapshot.figures if snapshot is not None else None, language
        ),
        "issued_on": row["issued_on"].isoformat(),
        "place": row["place"],
        "reference_number": row["reference_number"],
        "issuer": {"name": row["issuer__name_en"], "url": row["issuer__url"]},
        "topics": row["topics"],
        "observance": (
            None
            if observance_slug is None
            else {"slug": observance_slug, "name": row["observance__name_en"]}
        ),
        "first_published_at": _time(shared.zone, row["document__first_published_at"]),
        "public_updated_at": _time(shared.zone, row["public_updated_at"]),
        "status": row["state"],
        "withdrawal": withdrawal,
        "change_notes": [
            {"note": note, "date": _time(UTC, date)} for note, date in row["change_notes"]
        ],
        "translations": {
            version_language: {
                "id": version.document_id,
                "url": shared.absolute_path(
                    shared.paths.statement(version_language, version.issued_on, version.slug)
                ),
            }
            for version_language, version in row["translations"].items()
            if version.document_id != document_id
        },
        "url": shared.absolute_path(
            shared.paths.statement(language, row["issued_on"], row["slug"])
        ),
        "short_url": shared.absolute_path(shared.paths.short(document_id)),
        "image": image,
        "attachments": [
            {
                "title": attachment["title"],
                "url": absolute(default_storage.url(attachment["file"]))
                if attachment["file"]
                else None,
                "media_type": attachment["media_type"],
                "size": attachment["size"],
            }
            for attachment in row["attachments"]
        ],
        "figures": figures,
        "sha256": row["sha256"],
    }


class ChangeEventSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=["published", "updated", "withdrawn", "unpublished"])
    id = serializers.IntegerField(help_text="The statement's stable id.")
    time = serializers.DateTimeField()
    change = serializers.ChoiceField(
        choices=["major", "minor"], allow_null=True, help_text="For updates only."
    )
    statement = StatementSerializer(
        allow_null=True, help_text="The statement after the event; null for unpublished."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Changes",
            value={
                "next": None,
                "results": [
                    {
                        "event": "updated",
                        "id": 12,
                        "time": "2024-04-05T09:30:00Z",
                        "change": "major",
                        "statement": STATEMENT_EXAMPLE,
                    },
                    {
                        "event": "unpublished",
                        "id": 7,
                        "time": "2024-04-06T10:00:00Z",
                        "change": None,
                        "statement": None,
                    },
                ],
            },
        )
    ]
)
class ChangeFeedSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = ChangeEventSerializer(many=True)
