"""Only links from the bundled guidance or the allow-list are clickable; the rest are shown defanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.links import LinkPolicy, clickable_links, defang, link_policy, neutralise_links


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("https://evil.example/login?x=1", "hxxps://evil[.]example/login?x=1"),
        ("http://evil.example", "hxxp://evil[.]example"),
        ("www.evil.example/path", "www[.]evil[.]example/path"),
        ("evil.example", "evil[.]example"),
    ],
)
def test_an_address_is_defanged_yet_still_readable(address: str, shown: str) -> None:
    assert defang(address) == shown


def test_sentence_punctuation_stays_outside_the_address_and_neutralising_twice_changes_nothing() -> None:
    once = neutralise_links("Verify at https://evil.example/login. Then mail jo@evil.example.", LinkPolicy())
    assert once == "Verify at hxxps://evil[.]example/login. Then mail jo@evil[.]example."
    assert neutralise_links(once, LinkPolicy()) == once
    assert clickable_links(once, LinkPolicy()) == []


def test_allow_listed_domains_and_addresses_stay_clickable(tmp_path: Path) -> None:
    policy = link_policy(["gov.uk", "https://www.local.gov.uk/our-support"], guidance=tmp_path)
    text = "See https://www.gov.uk/guidance, https://www.local.gov.uk/our-support and https://gov.uk.evil.example/x"
    assert neutralise_links(text, policy) == ("See https://www.gov.uk/guidance, https://www.local.gov.uk/our-support "
                                              "and hxxps://gov[.]uk[.]evil[.]example/x")


def test_links_written_in_the_bundled_guidance_stay_clickable(tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text("# Guide\n\nRead https://www.local.gov.uk/leadership-essentials first.\n")
    policy = link_policy([], guidance=tmp_path)
    assert neutralise_links("Read https://www.local.gov.uk/leadership-essentials.", policy) == \
        "Read https://www.local.gov.uk/leadership-essentials."
    assert neutralise_links("Read https://www.local.gov.uk/other.", policy) == "Read hxxps://www[.]local[.]gov[.]uk/other."
