"""The queue's "Why this is here" list, written by the `priority_items` filter."""

from reviews.priority import Priority
from reviews.templatetags.reviews import priority_items


def test_each_part_is_an_item_with_what_it_adds_escaped():
    why = Priority(value=3.5, score=3.5, parts=[('Waiting <long> & "late"', 2.5), ("Small", 0)])
    assert priority_items(why) == (
        "<li>Waiting &lt;long&gt; &amp; &quot;late&quot;: adds 2.5 points</li>"
        "<li>Small: adds nothing yet</li>"
    )


def test_no_parts_no_items():
    assert priority_items(Priority(value=0, score=0, parts=[])) == ""
