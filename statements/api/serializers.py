"""Statements as partners receive them. Fields are listed explicitly; no logic here beyond
shaping what the models and querysets already say."""

from django.core.files.storage import default_storage
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from statements.models import Edition


class IssuerSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class TopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField()
    url = serializers.CharField()


class ImageSerializer(serializers.Serializer):
    alt = serializers.CharField()
    renditions = RenditionSerializer(many=True)


class AttachmentSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    media_type = serializers.CharField()
    size = serializers.IntegerField()


class ChangeNoteSerializer(serializers.Serializer):
    note = serializers.CharField()
    date = serializers.DateTimeField()


class WithdrawalSerializer(serializers.Serializer):
    explanation = serializers.CharField()
    withdrawn_at = serializers.DateTimeField()


class TranslationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()


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
    "sha256": "f47d74bd7743cd5a88c55c9c6497da905c79f6846ea2e75d1de32c7a1d34122f",
}


@extend_schema_serializer(examples=[OpenApiExample("A statement", value=STATEMENT_EXAMPLE)])
class StatementSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        source="document_id", help_text="Stable id of this language version."
    )
    translation_key = serializers.UUIDField(source="document.translation_key")
    language = serializers.CharField(source="document.language")
    body_html = serializers.CharField(source="body", help_text="Sanitised HTML.")
    issuer = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    observance = serializers.SerializerMethodField()
    first_published_at = serializers.DateTimeField(source="document.first_published_at")
    status = serializers.SerializerMethodField()
    withdrawal = serializers.SerializerMethodField()
    change_notes = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    short_url = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

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
            "sha256",
        ]

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(IssuerSerializer)
    def get_issuer(self, obj):
        return {"name": obj.issuer.name_en, "url": obj.issuer.url}

    @extend_schema_field(TopicSerializer(many=True))
    def get_topics(self, obj):
        return [{"slug": topic.slug, "name": topic.name_en} for topic in obj.topics.all()]

    @extend_schema_field(TopicSerializer(allow_null=True))
    def get_observance(self, obj):
        if obj.observance is None:
            return None
        return {"slug": obj.observance.slug, "name": obj.observance.name_en}

    @extend_schema_field(serializers.ChoiceField(choices=["published", "withdrawn"]))
    def get_status(self, obj):
        return obj.state

    @extend_schema_field(WithdrawalSerializer(allow_null=True))
    def get_withdrawal(self, obj):
        if obj.state != "withdrawn":
            return None
        return {"explanation": obj.withdrawal_explanation, "withdrawn_at": obj.withdrawn_at}

    @extend_schema_field(ChangeNoteSerializer(many=True))
    def get_change_notes(self, obj):
        notes = self.context.get("change_notes", {}).get(obj.document_id, [])
        return [{"note": note, "date": date} for note, date in notes]

    @extend_schema_field(serializers.DictField(child=TranslationSerializer()))
    def get_translations(self, obj):
        versions = self.context.get("translations", {}).get(obj.document.translation_key, {})
        return {
            language: {"id": version.document_id, "url": self._absolute(version.get_absolute_url())}
            for language, version in versions.items()
            if version.document_id != obj.document_id
        }

    def get_url(self, obj) -> str:
        return self._absolute(obj.get_absolute_url())

    def get_short_url(self, obj) -> str:
        return self._absolute(obj.document.get_absolute_url())

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, obj):
        if not obj.image:
            return None
        return {
            "alt": obj.image_alt,
            "renditions": [
                {"width": item["width"], "url": self._absolute(default_storage.url(item["name"]))}
                for item in obj.image_renditions
            ],
        }

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        return [
            {
                "title": attachment.title,
                "url": self._absolute(attachment.file.url),
                "media_type": attachment.media_type,
                "size": attachment.size,
            }
            for attachment in obj.attachments.all()
        ]


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
