from pathlib import Path

import pytest

from shop.config import ConfigError, load_settings
from shop.refinements import Refinement, parse_refinement


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show me more", Refinement(more=True)),
        ("any other options?", Refinement(more=True)),
        ("cheaper ones", Refinement(cheaper=True)),
        ("those are too expensive", Refinement(cheaper=True)),
        ("any brand is fine", Refinement(any_brand=True)),
        ("what would I like?", Refinement(personal=True)),
        ("surprise me", Refinement(personal=True)),
        ("recommend something for me", Refinement(personal=True)),
        ("something like what I bought last time", Refinement(like_last_purchase=True)),
        ("anything similar to my last order?", Refinement(like_last_purchase=True)),
        ("recommend me a phone under $500", Refinement()),
        ("hello", Refinement()),
        (None, Refinement()),
    ],
)
def test_refinements(text, expected):
    assert parse_refinement(text) == expected


def test_default_settings_point_at_committed_data():
    settings = load_settings()
    assert settings.shop_name == "Kestrel Electronics"
    for path in vars(settings.data).values():
        assert Path(path).exists(), path


def test_state_db_can_be_overridden(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_STATE_DB", str(tmp_path / "x.db"))
    assert load_settings().state_db == tmp_path / "x.db"


def test_broken_settings_give_a_clear_error(tmp_path):
    bad = tmp_path / "shop.yml"
    bad.write_text("shop: [unclosed")
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(bad)
    bad.write_text("shop: {name: x}\n")
    with pytest.raises(ConfigError, match="incomplete"):
        load_settings(bad)
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "missing.yml")
