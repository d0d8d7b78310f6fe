"""The README stays true about what it promises (the two commands, settings, links)."""
from __future__ import annotations

import re

from geo.core import paths, settings

README = (paths.PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_and_nothing_else_is() -> None:
    """An analyst configures the tool from the README's table: a setting missing there is
    invisible, and a variable listed there that the registry lacks does nothing."""
    registry = {s.env_var for s in settings.SETTINGS.values()}
    listed = set(re.findall(r"`(GEO_[A-Z_]+)`", README))
    assert registry - listed == set(), "settings missing from the README"
    assert listed - registry - {"GEO_SHARED_DIR"} == set(), "README names unknown settings"


def test_the_two_commands_and_the_files_the_readme_links() -> None:
    """`make run` and `make test` are the contract; every linked file exists."""
    assert "make run" in README and "make test" in README
    makefile = (paths.PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "bench", "eval", "fuzz"):
        assert re.search(rf"^{target}:", makefile, re.M), f"no make {target}"
    for link in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (paths.PROJECT_DIR / link).exists(), f"README links a missing file: {link}"
