"""Language codes a status may carry: ISO 639-1, the ISO 639-3 and regional codes Mastodon knows."""

ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy
    hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li
    ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa
    pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th
    ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
)
ISO_639_3 = frozenset(
    "ast chr ckb cnr csb gsw jbo kab kmr ldn lfn moh nds pdc sco sma smj szl tai tok vai xal zba zgh"
    .split()
)
REGIONAL = frozenset(
    ["es-AR", "es-MX", "fr-CA", "pt-BR", "pt-PT", "sr-Latn", "zh-CN", "zh-HK", "zh-TW"]
)
DEFAULT_LANGUAGE = "en"


def normalize_language(code: str | None) -> str | None:
    """The supported form of `code` (`en-US` -> `en`, `zh-tw` -> `zh-TW`), or None if unknown."""
    if not code or not isinstance(code, str):
        return None
    code = code.strip().replace("_", "-")
    for regional in REGIONAL:
        if regional.lower() == code.lower():
            return regional
    base = code.split("-", 1)[0].lower()
    if base in ISO_639_1 or base in ISO_639_3:
        return base
    return None
