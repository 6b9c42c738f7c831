"""SelfCommunity HTML text: the allow-list, mentions and hashtags in both renderings, summary and
slug. Pure functions, no database."""

import random

import pytest

from statuses import html_text
from statuses.html_text import MentionTarget

BOB = MentionTarget(id=7, username="bob", ext_id=301, url="https://social.example/@bob")
CAROL = MentionTarget(id=8, username="carol", ext_id=None, url="https://social.example/@carol")
TAGS = "https://social.example/tags/"


def render(text: str, resolved=None):
    clean = html_text.sanitize(text)
    return html_text.render(clean, resolved=resolved or {"bob": BOB, "carol": CAROL},
                            tags_base_url=TAGS)


@pytest.mark.parametrize("dirty, clean", [
    ("<script>alert(1)</script>hi", "hi"),
    ('<p style="color:red" onclick="x()">hi</p>', "<p>hi</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="nofollow noopener noreferrer">x</a>'),
    ('<img src="https://t.example/pixel.gif">', ""),
    ("<iframe src=//evil></iframe>ok", "ok"),
    ('<mention id="3" ext-id="4" onmouseover="x">@bob</mention>',
     '<mention id="3" ext-id="4">@bob</mention>'),
    ("&lt;b&gt; stays text", "&lt;b&gt; stays text"),
])
def test_sanitize_keeps_only_the_allow_list(dirty, clean):
    assert html_text.sanitize(dirty) == clean


def test_mentions_render_as_selfcommunity_elements_and_mastodon_links():
    rendered = render("<p>hi @bob, @Carol and @dave</p>")
    assert rendered.html == ('<p>hi <mention extid="301" id="7">@bob</mention>, '
                             '<mention id="8">@carol</mention> and @dave</p>')
    assert rendered.content == (
        '<p>hi <span class="h-card" translate="no"><a href="https://social.example/@bob" '
        'class="u-url mention">@<span>bob</span></a></span>, <span class="h-card" '
        'translate="no"><a href="https://social.example/@carol" class="u-url mention">'
        "@<span>carol</span></a></span> and @dave</p>")
    assert rendered.plain == "hi @bob, @carol and @dave"
    assert rendered.mentioned == [BOB, CAROL]


def test_mention_inside_a_link_or_address_is_not_a_mention():
    rendered = render('<a href="https://x.example/">@bob</a> mail bob@example.com')
    assert rendered.mentioned == []
    assert "@bob</a>" in rendered.html


def test_unresolved_mention_element_becomes_text():
    rendered = render('<mention id="99">@ghost</mention> there')
    assert rendered.html == "@ghost there"
    assert rendered.mentioned == []


def test_hashtags_link_in_mastodon_and_stay_elements_in_selfcommunity():
    rendered = render('<hashtag id="5">#Travel</hashtag> and #food')
    assert rendered.html == '<hashtag id="5">#Travel</hashtag> and #food'
    assert rendered.content == (
        '<p><a href="https://social.example/tags/Travel" class="mention hashtag" rel="tag">'
        '#<span>Travel</span></a> and <a href="https://social.example/tags/food" '
        'class="mention hashtag" rel="tag">#<span>food</span></a></p>')
    assert rendered.hashtags == ["travel", "food"]
    assert html_text.scan(html_text.sanitize('<hashtag id="5">#t</hashtag>')).category_ids == [5]


def test_text_is_escaped_in_both_renderings():
    rendered = render("1 &lt; 2 & 3 > 2 \"quoted\"")
    assert "<" not in rendered.html.replace("&lt;", "")
    assert rendered.plain == '1 < 2 & 3 > 2 "quoted"'


def test_unclosed_tags_are_closed():
    rendered = render("<p><b>bold")
    assert rendered.html == "<p><b>bold</b></p>"


def test_summary_and_slug():
    assert html_text.summary("short") == "short"
    assert html_text.summary("a" * 181) == "a" * 180 + " ..."
    assert html_text.summary("<not a tag> & 'q'") == "&lt;not a tag&gt; &amp; &#x27;q&#x27;"
    assert html_text.slug("Perché è già l'ora di partire!") == "perche-e-gia-lora-di-partire"
    assert len(html_text.slug("word " * 40)) <= html_text.SLUG_LENGTH


def test_random_markup_never_raises_and_never_leaks_scripts():
    pieces = ["<p>", "</p>", "<b>", "</i>", "<mention id='1'>", "</mention>", "<hashtag id=x>",
              "</hashtag>", "@bob", "#tag", "<script>", "</script>", "<a href='javascript:x'>",
              "</a>", "&amp;", "&", "<", ">", "\"", "text ", "<br>", "<br/>", "<!--", "-->",
              "<svg onload=x>", "<div>", "<li>", "<mention>", "@", "#"]
    generator = random.Random(20261122)
    for _ in range(2000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 25)))
        rendered = render(text)
        for output in (rendered.html, rendered.content):
            lowered = output.lower()
            assert "<script" not in lowered and "javascript:" not in lowered
            assert "onload" not in lowered and "<svg" not in lowered
        html_text.summary(rendered.plain)
        html_text.slug(rendered.plain)


def test_mastodon_content_is_a_sequence_of_blocks():
    rendered = render("intro <b>x</b><ul><li>a</li></ul>\n<p>b</p> tail")
    assert rendered.content == "<p>intro <b>x</b></p><ul><li>a</li></ul><p>b</p><p>tail</p>"
    assert render("plain").content == "<p>plain</p>"
    assert render("").content == ""
