"""Bot walls: challenge and interstitial pages served instead of the page (facts, no I/O).

A wall answers 200 (or 202) with a small page of its own; the cited page behind it may or
may not exist, so a wall is "can't tell" (`denied`), never `alive` or `dead`. Each marker
below is one the product really emits (sources in tests/hostile/test_walls.py); markers
that also appear on ordinary pages (Cloudflare's JSD beacon script, the PerimeterX sensor
snippet, Imperva's injected resource script, a reCAPTCHA widget on a contact form) never
count on their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Challenge pages are small; a marker deep inside a big page is a widget, an ad or a link.
WALL_MAX_BODY = 120_000
# A captcha or "enable JavaScript" page says little else.
SHELL_MAX_TEXT = 600

# (header, values or None for "present", product). Vendors document these as set on their
# challenge/block responses only.
_HEADERS: tuple[tuple[str, frozenset[str] | None, str], ...] = (
    ("cf-mitigated", frozenset({"challenge"}), "Cloudflare"),
    ("x-amzn-waf-action", frozenset({"challenge", "captcha"}), "AWS WAF"),
    ("x-vercel-mitigated", frozenset({"challenge"}), "Vercel"),
    ("x-dd-b", frozenset({"1", "2"}), "DataDome"),
    ("x-sucuri-block", None, "Sucuri"),
)

# (needle, pattern or None, product): markers of the challenge/block page itself. The needle
# (lower case) is looked for first, a plain substring search; the pattern, if any, confirms.
_PAGE_MARKERS: tuple[tuple[str, re.Pattern[str] | None, str], ...] = tuple(
    (needle, re.compile(pattern, re.I) if pattern else None, product)
    for needle, pattern, product in (
        ("just a moment", r"<title>\s*just a moment(?:\.\.\.|…)\s*</title>", "Cloudflare"),
        (
            "attention required",
            r"<title>\s*attention required! \| cloudflare\s*</title>",
            "Cloudflare",
        ),
        ("_cf_chl_opt", None, "Cloudflare"),
        ("__cf_chl_", None, "Cloudflare"),
        ("cf-browser-verification", None, "Cloudflare"),
        # the challenge scripts, not the JSD beacon (/cdn-cgi/challenge-platform/scripts/jsd/)
        (
            "/cdn-cgi/challenge-platform/",
            r"/cdn-cgi/challenge-platform/(?!scripts/jsd/)",
            "Cloudflare",
        ),
        ('<script id="anubis_challenge"', None, "Anubis"),
        ("/.within.website/x/cmd/anubis/", None, "Anubis"),
        ("captcha-delivery.com", None, "DataDome"),
        ("datado.me/", None, "DataDome"),
        ('id="px-captcha"', None, "PerimeterX"),
        ('content="px-captcha"', None, "PerimeterX"),
        ("captcha.px-cdn.net", None, "PerimeterX"),
        (
            "access to this page has been denied",
            r"<title>\s*access to this page has been denied\.?\s*</title>",
            "PerimeterX",
        ),
        ("sec-if-cpt-container", None, "Akamai"),
        ("/_sec/cp_challenge/", None, "Akamai"),
        ("/.well-known/sbsd", None, "Akamai"),
        ("errors.edgesuite.net", None, "Akamai"),
        ("incapsula incident id", None, "Imperva"),
        ("_incapsula_resource", r"<iframe[^>]+_incapsula_resource", "Imperva"),
        ("sucuri website firewall", None, "Sucuri"),
        ("sucuri_cloudproxy", None, "Sucuri"),
        ("sucuri-firewall-block", None, "Sucuri"),
        ("window.gokuprops", None, "AWS WAF"),
        ("awswafcaptcha.rendercaptcha", None, "AWS WAF"),
    )
)
_CAPTCHA_NEEDLES = (
    "h-captcha",
    "g-recaptcha",
    "cf-turnstile",
    "hcaptcha.com/1/api.js",
    "recaptcha/",
)
_JS_NEEDLES = (
    "enable javascript",
    "turn on javascript",
    "activate javascript",
    "javascript is required",
    "javascript is disabled",
    "requires javascript",
    "javascript must be enabled",
    "javascript needs to be enabled",
)
# A wall page says little: an article that quotes a marker is not one.
WALL_MAX_TEXT = 2500

# A captcha widget is only a wall on a page that asks the reader to prove they are human.
_CAPTCHA = re.compile(
    r"class=\"(?:h-captcha|g-recaptcha|cf-turnstile)\"|hcaptcha\.com/1/api\.js"
    r"|google\.com/recaptcha/(?:api|enterprise)\.js|recaptcha\.net/recaptcha/api\.js",
    re.I,
)
_HUMAN = re.compile(
    r"verify (?:that )?you(?:'re| are)(?: a)? human|(?:are you|not) a robot"
    r"|security check|checking (?:if the site connection is secure|your browser)"
    r"|unusual traffic|prove you(?:'re| are)(?: a)? human|human verification",
    re.I,
)
_NEEDS_JS = re.compile(
    r"(?:please )?(?:enable|turn on|activate) javascript|javascript is (?:required|disabled)"
    r"|requires javascript|javascript (?:must be|needs to be) enabled",
    re.I,
)


def header_wall(headers: Mapping[str, str]) -> str | None:
    """The product whose challenge/block header the response carries, or None."""
    for name, values, product in _HEADERS:
        value = headers.get(name)
        if value is None:
            continue
        if values is None or value.strip().lower() in values:
            return product
    return None


def page_wall(html: str) -> str | None:
    """The product whose challenge page `html` is, or None for an ordinary page."""
    if len(html) > WALL_MAX_BODY:
        return None
    lower = html.lower()  # one pass; then substring searches, no regex over the whole page
    product = _marked(html, lower)
    captcha = product is None and any(n in lower for n in _CAPTCHA_NEEDLES)
    needs_js = product is None and any(n in lower for n in _JS_NEEDLES)
    if product is None and not captcha and not needs_js:
        return None  # the common case
    visible = visible_text(html)
    if product is not None:
        return product if len(visible) <= WALL_MAX_TEXT else None
    if len(visible) > SHELL_MAX_TEXT:
        return None
    if captcha and _CAPTCHA.search(html) and _HUMAN.search(visible):
        return "CAPTCHA interstitial"
    if _NEEDS_JS.search(visible):
        return "JavaScript-only page"
    return None


def _marked(html: str, lower: str) -> str | None:
    for needle, pattern, product in _PAGE_MARKERS:
        if needle in lower and (pattern is None or pattern.search(html)):
            return product
    return None


_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    """What a reader sees of `html` (noscript included), whitespace collapsed; a regex
    pass, as walls are small pages."""
    import html as html_lib

    text = _TAG.sub(" ", _HIDDEN.sub(" ", html))
    return " ".join(html_lib.unescape(text).split())
