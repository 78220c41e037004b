from tests.html_checks import form_problems, nested_forms, skipped_heading_levels


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


def test_a_skipped_heading_level_is_found():
    assert skipped_heading_levels("<h1>List</h1><h3>Card</h3><h2>More</h2>") == [
        "h1 then h3 (heading 2)"
    ]
    assert skipped_heading_levels("<h2>No title</h2>") == ["the first heading is h2"]


def test_headings_going_down_one_level_or_back_up_any_number_pass():
    assert skipped_heading_levels("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2><h3>e</h3>") == []
    assert skipped_heading_levels("<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h2>e</h2>") == []
