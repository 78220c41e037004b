"""Atom and RSS feeds of a language's latest published statements (Django's syndication).

Withdrawn statements stay in the feed, titled "[Withdrawn] …", so readers learn of it; an
entry's updated time is the statement's public update time.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pagecache.middleware import LIST_KEY, surrogate_keys
from statements.models import Edition, Kind, Topic

FEED_SIZE = 50


class FilterError(ValueError):
    pass


class StatementsRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
            surrogate_keys(response, [LIST_KEY])
            return response
        except FilterError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request):
        """The language and the ?topic= and ?kind= filters, checked."""
        topic = kind = None
        topic_slug = request.GET.get("topic", "")
        if topic_slug:
            topic = Topic.objects.filter(slug=topic_slug).first()
            if topic is None:
                raise FilterError(_("Unknown topic: %(topic)s") % {"topic": topic_slug[:80]})
        kind = request.GET.get("kind", "") or None
        if kind is not None and kind not in Kind.values:
            raise FilterError(
                _("Unknown kind: %(kind)s. Use one of: %(kinds)s")
                % {"kind": kind[:80], "kinds": ", ".join(Kind.values)}
            )
        return {"language": get_language(), "topic": topic, "kind": kind}

    def title(self, obj):
        from statements.identity import site_identity

        parts: list[object] = [site_identity().name, _("Statements")]
        if obj["topic"]:
            parts.append(obj["topic"].name)
        if obj["kind"]:
            parts.append(Kind(obj["kind"]).label)
        return " · ".join(str(part) for part in parts)

    def link(self, obj):
        return reverse("statements:list")

    def description(self, obj):
        return _("The latest published statements.")

    def feed_url(self, obj):
        return reverse(self.url_name)

    url_name = "statements:feed_rss"

    def items(self, obj):
        statements = (
            Edition.objects.published()
            .in_language(obj["language"])
            .select_related("document", "issuer")
            .prefetch_related("topics")
            .order_by("-public_updated_at", "-pk")
        )
        if obj["topic"]:
            statements = statements.filter(topics=obj["topic"])
        if obj["kind"]:
            statements = statements.filter(kind=obj["kind"])
        return statements[:FEED_SIZE]

    def item_title(self, item):
        if item.state == "withdrawn":
            return f"[{_('Withdrawn')}] {item.title}"
        return item.title

    def item_description(self, item):
        """RSS readers render <description> as HTML: the plain text is escaped for that."""
        return escape(self.plain_description(item))

    def plain_description(self, item) -> str:
        if item.state == "withdrawn":
            return f"{item.withdrawal_explanation}\n\n{item.summary}"
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"statement-{item.document_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.document.first_published_at

    def item_updateddate(self, item):
        return item.public_updated_at

    def item_author_name(self, item):
        return item.issuer.name

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class PlainTextAtom1Feed(Atom1Feed):
    """Atom with the entry's summary marked as text: Django marks it type="html", so a feed
    reader would render a summary such as "<script>…" as markup. Summaries and withdrawal
    explanations are plain text."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class StatementsAtomFeed(StatementsRssFeed):
    feed_type = PlainTextAtom1Feed  # type: ignore[assignment]  # Django's feeds allow any
    url_name = "statements:feed_atom"
    subtitle = StatementsRssFeed.description

    def item_guid(self, item):
        return f"tag:statements,{item.issued_on.year}:{item.document_id}"

    def item_description(self, item):
        return self.plain_description(item)  # type="text": the generator escapes it
