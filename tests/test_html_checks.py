from tests.html_checks import form_problems, nested_forms


def test_a_form_inside_a_form_is_found_and_named():
    html = (
        '<form id="statement_form" method="post"><input name="title">'
        '<form action="/share/"><button>Share</button></form>'
        '<input type="submit" value="Save"></form>'
    )

    assert nested_forms(html) == ["/share/ inside statement_form"]


def test_forms_side_by_side_and_buttons_owned_through_form_attribute_pass():
    html = (
        '<form id="statement_form" method="post"><input name="title"></form>'
        '<form action="/share/"><button>Share</button></form>'
        '<button form="statement_form" name="_action" value="submit">Submit</button>'
    )

    assert nested_forms(html) == []


def test_a_button_naming_a_form_that_is_not_on_the_page_is_found():
    html = (
        '<form id="edition_form" method="post"><input name="title"></form>'
        '<button form="statement_form" name="_action" value="preview">Save and preview</button>'
        '<button form="edition_form" name="_action" value="submit">Submit</button>'
    )

    assert form_problems(html) == [
        "button 'preview' names form 'statement_form', which is not on the page"
    ]
