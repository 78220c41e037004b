import pytest
from django.core.management import CommandError, call_command

from statements.models import Edition, Statement
from statements.querysets import State
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db
# A statement of the shape the office publishes (a title line, nine paragraphs), kept in the
# repository: the suite reads nothing outside it.
SEED = ROOT / "tests" / "fixtures" / "mine_awareness_statement.txt"


def test_import_reads_the_title_and_every_paragraph_of_the_statement():
    call_command("import_statement", str(SEED), "--language", "en", "--issued-on", "2024-04-04")

    statement = Edition.objects.get()
    assert statement.title == (
        "Statement by the Ministry on 4 April, the International Day for Mine Awareness and "
        "Assistance in Mine Action"
    )
    assert statement.body.count("<p>") == 9
    assert "350 people have become victims of landmines" in statement.body
    assert statement.issued_on.isoformat() == "2024-04-04"
    assert statement.state == State.DRAFT
    assert statement.document.language == "en"
    assert len(statement.summary) <= 300


def test_import_with_publish_makes_it_public_with_an_audit_trail():
    call_command(
        "import_statement", str(SEED), "--language", "en", "--kind", "statement", "--publish"
    )

    statement = Edition.objects.published().get()
    assert list(statement.document.events.order_by("pk").values_list("action", flat=True)) == [
        "create",
        "submit",
        "publish",
    ]


def test_imported_text_is_escaped_not_interpreted(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Title <b>bold</b>\n<script>alert(1)</script> paragraph\n", encoding="utf-8")

    call_command("import_statement", str(path), "--language", "ru")

    statement = Edition.objects.get()
    assert statement.title == "Title <b>bold</b>"
    assert statement.body == "<p>&lt;script&gt;alert(1)&lt;/script&gt; paragraph</p>"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["/no/such/file.txt", "--language", "en"], "No such file"),
        (["{empty}", "--language", "en"], "The file is empty"),
        (["{title_only}", "--language", "en"], "no paragraphs"),
        (["{seed}", "--language", "fr"], "Unknown language 'fr'"),
        (["{seed}", "--language", "en", "--issued-on", "04/04/2024"], "Bad --issued-on"),
        (["{seed}", "--language", "en", "--issued-on", "2024-02-30"], "Bad --issued-on"),
        (["{seed}", "--language", "en", "--kind", "tweet"], "Unknown kind 'tweet'"),
        (["{binary}", "--language", "en"], "Cannot read"),
    ],
)
def test_bad_input_gets_a_clear_error_and_creates_nothing(tmp_path, arguments, message):
    files = {
        "{empty}": tmp_path / "empty.txt",
        "{title_only}": tmp_path / "title.txt",
        "{binary}": tmp_path / "binary.txt",
        "{seed}": SEED,
    }
    files["{empty}"].write_text("\n  \n")
    files["{title_only}"].write_text("Just a title\n")
    files["{binary}"].write_bytes(b"\xff\xfe\x00bad\x80")
    arguments = [str(files.get(argument, argument)) for argument in arguments]

    with pytest.raises(CommandError, match=message):
        call_command("import_statement", *arguments)

    assert not Statement.objects.exists()
    assert not Edition.objects.exists()
