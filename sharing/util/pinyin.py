"""The key Chinese names sort by: their pinyin (with tone numbers), as a dictionary orders them.

Pure, and read once per saved name (the instruments' `name_sort` column keeps it).
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> str:
    """'扫描电镜' -> 'sao3 miao2 dian4 jing4'; Latin letters and digits stay, in lower case."""
    return " ".join(lazy_pinyin(text.strip(), style=Style.TONE3)).lower()[:400]
