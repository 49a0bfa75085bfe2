# ruff: noqa: E501 (the edits are whole entries)
"""Make the injected variants of the two reports: one citation without an entry, one entry
never cited and one ambiguous citation each (tests/test_citation_styles.py expects exactly
these three findings)."""

from pathlib import Path

HERE = Path(__file__).parent
EDITS = {
    "numbered": [
        # a citation of entry 14, which the list does not have
        ("confirms the decline at 162 of them.", "confirms the decline at 162 of them [14]."),
        # an entry nobody cites
        (
            "WR020i006p00727\n",
            "WR020i006p00727\n\n[15] Nakamura Y. Borehole logging at scale. https://doi.org/10.1111/gwat.13001\n",
        ),
        # entry 9 numbered twice: its citation matches both
        (
            "\n[10] Rossi",
            "\n[9] Fenwick J. Recharge from irrigation returns. https://doi.org/10.1002/hyp.14002\n\n[10] Rossi",
        ),
    ],
    "authordate": [
        ("(Schwaab et al.\n2021;", "(Schwaab et al.\n2021; Grimmond 2007;"),
        (
            "\nWorld Bank. (2020)",
            "\nJenerette, G. D. (2011). Ecosystem services and urban heat riskscape moderation. https://doi.org/10.1890/10-1493.1\n\nWorld Bank. (2020)",
        ),
        (
            "\nBowler, D. E.",
            "\nAkbari, H. (2002). Urban heat islands and their mitigation. https://doi.org/10.1016/j.uhi.2002.01.001\n\nBowler, D. E.",
        ),
    ],
}


def main() -> None:
    for name, edits in EDITS.items():
        text = (HERE / f"{name}.md").read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (HERE / f"{name}-injected.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
