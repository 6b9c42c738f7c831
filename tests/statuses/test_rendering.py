"""statuses.rendering: Mastodon's plain-text HTML and text rules, checked against exact output.

Pure functions only: no database and no Django settings are needed.
"""

import time

from statuses.rendering import (
    MentionRef,
    extract_hashtags,
    extract_mentions,
    normalize_hashtag,
    normalize_mentions,
    render_plain,
    status_length,
)

TAGS = "https://example.com/tags/"
ALICE = MentionRef(username="alice", url="https://example.com/@alice", acct="alice")
BOB_REMOTE = MentionRef(
    username="bob", url="https://remote.example/@bob", acct="bob@remote.example"
)
BOB_LOCAL = MentionRef(username="bob", url="https://example.com/@bob", acct="bob")


def render(text, mentions=None):
    return render_plain(text, tags_base_url=TAGS, mentions=mentions or {})


def link(url, prefix, display, suffix="", ellipsis=False):
    """The anchor Mastodon writes for a URL, spelled out by hand."""
    css = "ellipsis" if ellipsis else ""
    return (
        f'<a href="{url}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{prefix}</span><span class="{css}">{display}</span>'
        f'<span class="invisible">{suffix}</span></a>'
    )


def hashtag(href_name, shown):
    return (
        f'<a href="https://example.com/tags/{href_name}" class="mention hashtag" rel="tag">'
        f"#<span>{shown}</span></a>"
    )


def mention(url, shown):
    return (
        f'<span class="h-card" translate="no"><a href="{url}" class="u-url mention">'
        f"@<span>{shown}</span></a></span>"
    )


# --- plain text --------------------------------------------------------------------------------


def test_escapes_html_and_quotes():
    text = "<script>alert(\"hi\")</script> & 'so' <b>"
    assert render(text) == (
        "<p>&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; &#39;so&#39; &lt;b&gt;</p>"
    )


def test_escapes_attribute_injection():
    assert render("<img src=\"javascript:alert('XSS');\">") == (
        "<p>&lt;img src=&quot;javascript:alert(&#39;XSS&#39;);&quot;&gt;</p>"
    )


def test_paragraphs_and_line_breaks():
    assert render("one\ntwo\n\nthree") == "<p>one<br />two</p><p>three</p>"


def test_three_newlines_are_one_paragraph_break_and_crlf_is_a_newline():
    assert render("a\r\nb\r\n\r\n\r\nc") == "<p>a<br />b</p><p>c</p>"


def test_blank_line_holding_spaces_is_not_a_paragraph_break():
    assert render("a\n \nb") == "<p>a<br /> <br />b</p>"


def test_text_is_stripped_and_output_has_no_newlines():
    html = render("\n\n  hello\nworld  \n\n")
    assert html == "<p>hello<br />world</p>"
    assert "\n" not in html


def test_ideographic_space_is_not_stripped():
    assert render("\u3000indented") == "<p>\u3000indented</p>"


def test_empty_text_renders_nothing():
    assert render("") == ""
    assert render("  \n\r\n\t ") == ""


# --- URLs --------------------------------------------------------------------------------------


def test_short_url():
    assert render("https://example.com/") == (
        "<p>" + link("https://example.com/", "https://", "example.com/") + "</p>"
    )


def test_long_url_gets_an_ellipsis():
    url = "https://example.com/a/very/long/path/that/goes/on?x=1&y=2"
    assert render(f"see {url} now") == (
        "<p>see "
        + link(
            "https://example.com/a/very/long/path/that/goes/on?x=1&amp;y=2",
            "https://",
            "example.com/a/very/long/path/t",
            "hat/goes/on?x=1&amp;y=2",
            ellipsis=True,
        )
        + " now</p>"
    )


def test_url_of_exactly_thirty_characters_is_not_cut():
    url = "https://example.com/abcdefghijklmnopqr"  # 30 characters after https://
    assert render(url) == ("<p>" + link(url, "https://", "example.com/abcdefghijklmnopqr") + "</p>")


def test_one_character_remainder_is_not_truncated():
    url = "https://example.com/abcdefghijklmnopqrs"  # 31 characters after https://
    assert render(url) == (
        "<p>" + link(url, "https://", "example.com/abcdefghijklmnopqrs") + "</p>"
    )


def test_two_character_remainder_is_truncated():
    url = "https://example.com/abcdefghijklmnopqrst"  # 32 characters after https://
    assert render(url) == (
        "<p>"
        + link(url, "https://", "example.com/abcdefghijklmnopqr", "st", ellipsis=True)
        + "</p>"
    )


def test_www_is_part_of_the_invisible_prefix():
    assert render("http://www.example.org/page") == (
        "<p>" + link("http://www.example.org/page", "http://www.", "example.org/page") + "</p>"
    )
    assert render("https://www.example.org") == (
        "<p>" + link("https://www.example.org", "https://www.", "example.org") + "</p>"
    )


def test_trailing_punctuation_is_not_part_of_the_url():
    assert render("Read https://example.com/post. Then https://example.com/a, and b!") == (
        "<p>Read "
        + link("https://example.com/post", "https://", "example.com/post")
        + ". Then "
        + link("https://example.com/a", "https://", "example.com/a")
        + ", and b!</p>"
    )


def test_url_inside_parentheses():
    assert render("(see https://example.com/page)") == (
        "<p>(see " + link("https://example.com/page", "https://", "example.com/page") + ")</p>"
    )


def test_balanced_parentheses_belong_to_the_url():
    url = "https://en.wikipedia.org/wiki/Diaspora_(software)"
    assert render(url) == (
        "<p>"
        + link(url, "https://", "en.wikipedia.org/wiki/Diaspora", "_(software)", ellipsis=True)
        + "</p>"
    )


def test_url_stops_at_markup_which_is_escaped():
    assert render("http://example.com/b<del>b</del>") == (
        "<p>"
        + link("http://example.com/b", "http://", "example.com/b")
        + "&lt;del&gt;b&lt;/del&gt;</p>"
    )


def test_url_needs_a_scheme_and_a_real_domain():
    assert render("example.com and http://www\\.google\\.com") == (
        "<p>example.com and http://www\\.google\\.com</p>"
    )


def test_url_must_not_be_glued_to_a_word():
    assert render("foohttps://example.com") == "<p>foohttps://example.com</p>"


def test_non_ascii_domain_and_path():
    assert render("https://nic.みんな/ https://ja.wikipedia.org/wiki/日本") == (
        "<p>"
        + link("https://nic.みんな/", "https://", "nic.みんな/")
        + " "
        + link("https://ja.wikipedia.org/wiki/日本", "https://", "ja.wikipedia.org/wiki/日本")
        + "</p>"
    )


def test_url_inside_japanese_quotes():
    assert render("「[https://example.org/」") == (
        "<p>「[" + link("https://example.org/", "https://", "example.org/") + "」</p>"
    )


def test_full_width_space_ends_a_url():
    assert render("https://example.com/\u3000abc") == (
        "<p>" + link("https://example.com/", "https://", "example.com/") + "\u3000abc</p>"
    )


def test_xmpp_and_magnet_uris():
    assert render("xmpp:muc@chat.example.com?join") == (
        "<p>"
        + link("xmpp:muc@chat.example.com?join", "xmpp:", "muc@chat.example.com?join")
        + "</p>"
    )
    magnet = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
    assert render(magnet) == (
        "<p>" + link(magnet, "", magnet[:30], magnet[30:], ellipsis=True) + "</p>"
    )


# --- mentions ----------------------------------------------------------------------------------


def test_known_mention_is_linked():
    assert render("hi @alice!", {"alice": ALICE}) == (
        "<p>hi " + mention("https://example.com/@alice", "alice") + "!</p>"
    )


def test_mention_lookup_is_case_insensitive_and_shows_the_canonical_username():
    assert render("@ALICE", {"alice": ALICE}) == (
        "<p>" + mention("https://example.com/@alice", "alice") + "</p>"
    )


def test_unknown_mention_stays_escaped_text():
    assert render("hi @carol & @alice", {"alice": ALICE}) == (
        "<p>hi @carol &amp; " + mention("https://example.com/@alice", "alice") + "</p>"
    )


def test_email_address_is_not_a_mention():
    mentions = {"example.com": ALICE, "bob": BOB_LOCAL}
    assert render("mail bob@example.com", mentions) == "<p>mail bob@example.com</p>"


def test_remote_mention_shows_the_username_only():
    assert render("@bob@remote.example", {"bob@remote.example": BOB_REMOTE}) == (
        "<p>" + mention("https://remote.example/@bob", "bob") + "</p>"
    )


def test_same_username_on_two_domains_shows_the_domain():
    mentions = {"bob": BOB_LOCAL, "bob@remote.example": BOB_REMOTE}
    assert render("@bob @bob@remote.example", mentions) == (
        "<p>"
        + mention("https://example.com/@bob", "bob")
        + " "
        + mention("https://remote.example/@bob", "bob@remote.example")
        + "</p>"
    )


def test_mention_followed_by_another_at_sign_is_not_linked():
    assert render("@alice@", {"alice": ALICE}) == "<p>@alice@</p>"


def test_at_sign_inside_a_url_belongs_to_the_url():
    url = "https://example.com/foo,@alice"
    assert render(url, {"alice": ALICE}) == (
        "<p>" + link(url, "https://", "example.com/foo,@alice") + "</p>"
    )


# --- hashtags ----------------------------------------------------------------------------------


def test_hashtag_keeps_its_case():
    assert render("I like #RubyOnRails.") == (
        "<p>I like " + hashtag("RubyOnRails", "RubyOnRails") + ".</p>"
    )


def test_non_ascii_hashtag_is_percent_encoded_in_the_href():
    assert render("#café and #hashtagタグ") == (
        "<p>"
        + hashtag("caf%C3%A9", "café")
        + " and "
        + hashtag("hashtag%E3%82%BF%E3%82%B0", "hashtagタグ")
        + "</p>"
    )


def test_numeric_hashtag_is_not_a_tag_but_a_leading_digit_is_fine():
    assert render("#123 #3d") == "<p>#123 " + hashtag("3d", "3d") + "</p>"


def test_hashtag_needs_a_boundary_before_it():
    assert render("a#b =#c /#d )#e") == "<p>a#b =#c /#d )#e</p>"


def test_middle_dot_inside_but_not_at_the_end():
    assert render("#one·two·three·") == (
        "<p>" + hashtag("one%C2%B7two%C2%B7three", "one·two·three") + "·</p>"
    )


def test_hashtag_in_url_fragment_is_not_linked():
    url = "https://example.com/page#section"
    assert render(f"{url} #real") == (
        "<p>"
        + link(url, "https://", "example.com/page#section")
        + " "
        + hashtag("real", "real")
        + "</p>"
    )


def test_hashtag_after_punctuation_inside_url_is_part_of_the_url():
    url = "https://en.wikipedia.org/wiki/Google_LLC_v._Oracle_America,_Inc.#Decision"
    html = render(url)
    assert html.startswith(f'<p><a href="{url}"')
    assert "mention hashtag" not in html


def test_everything_together():
    text = "Hey @alice, see https://example.com/x #News\n\n<3"
    assert render(text, {"alice": ALICE}) == (
        "<p>Hey "
        + mention("https://example.com/@alice", "alice")
        + ", see "
        + link("https://example.com/x", "https://", "example.com/x")
        + " "
        + hashtag("News", "News")
        + "</p><p>&lt;3</p>"
    )


# --- status_length -----------------------------------------------------------------------------


def test_length_of_plain_text():
    assert status_length("a" * 500) == 500
    assert status_length("a" * 499 + "é") == 500


def test_url_counts_as_23():
    assert status_length("https://example.com/" + "x" * 200) == 23
    assert status_length("look: http://example.com") == len("look: ") + 23


def test_url_without_scheme_counts_in_full():
    assert status_length("example.com/abc") == 15


def test_remote_mention_counts_as_local_part():
    assert status_length("@alice@remote.example") == 6
    assert status_length("hi @alice@remote.example!") == len("hi @alice!")


def test_emoji_sequences_count_as_one():
    assert status_length("\U0001f44d\U0001f3fd") == 1  # thumbs up, medium skin tone
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    assert status_length(family) == 1
    assert status_length("e\u0301") == 1  # e + combining acute


def test_spoiler_text_is_counted():
    assert status_length("body", spoiler_text="warning") == 11
    assert status_length("", spoiler_text="cw") == 2


def test_length_ignores_surrounding_whitespace():
    assert status_length("  hello \n") == 5


# --- hashtag and mention extraction ------------------------------------------------------------


def test_normalize_hashtag():
    assert normalize_hashtag("Café") == "cafe"
    assert normalize_hashtag("ＴＥＳＴ") == "test"
    assert normalize_hashtag("Straße") == "strasse"
    assert normalize_hashtag("#Hello World") == "helloworld"
    assert normalize_hashtag("Hello\u2764\ufe0fWorld") == "helloworld"  # emoji and VS16 dropped
    assert normalize_hashtag("タグ") == "タグ"


def test_extract_hashtags_in_order_deduplicated_by_normalised_name():
    text = "#Foo #bar #FOO #Café and #cafe, #123, https://example.com/a#frag"
    assert extract_hashtags(text) == ["Foo", "bar", "Café"]


def test_extract_mentions_in_order_deduplicated():
    text = "@alice @Bob@Remote.Example hi @ALICE @bob@remote.example @carol bob@example.com"
    assert extract_mentions(text) == [
        ("alice", None),
        ("Bob", "Remote.Example"),
        ("carol", None),
    ]


def test_extract_mentions_strips_trailing_punctuation():
    assert extract_mentions("(@alice.) @bob@remote.example.") == [
        ("alice", None),
        ("bob", "remote.example"),
    ]


def test_normalize_mentions_rewrites_resolved_mentions():
    calls = []

    def resolve(username, domain):
        calls.append((username, domain))
        if username.lower() == "alice" and domain in (None, "example.com"):
            return ALICE
        return None

    text = "@ALICE and @alice@example.com, not @nobody or mail@alice.com; @Alice"
    assert normalize_mentions(text, resolve) == (
        "@alice and @alice, not @nobody or mail@alice.com; @alice"
    )
    assert calls == [("ALICE", None), ("alice", "example.com"), ("nobody", None)]


# --- speed -------------------------------------------------------------------------------------


def test_hostile_inputs_stay_fast():
    inputs = [
        "x" + ".a" * 1000 + ":// " + "https://" + "a." * 1000,
        "日本語のテキスト" * 250 + "https://example.com/" + "a" * 10,
        "#1" + "·" * 2000,
        "https://example.com/" + "(a(b)" * 400 + "!" * 400,
        "@" + "a." * 1000 + "@" + "b-" * 1000,
    ]
    started = time.perf_counter()
    for text in inputs:
        render(text)
        status_length(text)
        extract_hashtags(text)
        extract_mentions(text)
    assert time.perf_counter() - started < 1.0
