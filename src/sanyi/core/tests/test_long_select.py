"""LongSelect writes exactly the HTML of Django's own Select, for any choices, groups,
selected value and attributes, and is what the long lists of the staff pages use."""

from django import forms
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from sanyi.cases.web.staff_forms import WorklistFilterForm
from sanyi.core.forms import LongSelect

# Text with the characters that must be escaped, Chinese and spaces.
text = st.text(alphabet=st.sampled_from(list("ab 1<>&\"'事项（）：")), max_size=8)
value = st.one_of(text, st.integers(min_value=-5, max_value=500))
options = st.lists(st.tuples(value, text), max_size=6)
choices = st.lists(
    st.one_of(st.tuples(value, text), st.tuples(text.filter(bool), options)), max_size=8
)
attr_value = st.one_of(st.booleans(), st.none(), text, st.integers())
attrs = st.dictionaries(
    st.sampled_from(["id", "required", "disabled", "aria-describedby", "class", "data-x"]),
    attr_value,
    max_size=4,
)


@given(choices=choices, selected=st.one_of(st.none(), value, st.lists(value)), attrs=attrs)
def test_the_html_is_that_of_django_select(choices, selected, attrs):
    expected = forms.Select(choices=choices).render("item", selected, attrs=attrs)
    assert LongSelect(choices=choices).render("item", selected, attrs=attrs) == expected


def test_safe_labels_are_not_escaped_twice_and_others_are():
    choices = [("1", mark_safe("<b>甲</b>")), ("2", "<b>乙</b>")]
    html = LongSelect(choices=choices).render("item", "2")
    assert html == forms.Select(choices=choices).render("item", "2")
    assert "<b>甲</b>" in html and "&lt;b&gt;乙&lt;/b&gt;" in html


def test_the_worklist_item_filter_is_a_long_select_with_its_choice_kept():
    items = [(str(n), f"事项{n}") for n in range(130)]
    form = WorklistFilterForm({"item": "7"}, items=items)
    assert isinstance(form.fields["item"].widget, LongSelect)
    html = str(form["item"])
    assert html.count("<option") == 131
    assert '<option value="7" selected>事项7</option>' in html
