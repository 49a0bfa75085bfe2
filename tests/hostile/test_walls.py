"""Bot walls that answer 200: the markers citecheck.checkers.walls matches, where they come
from, and the ordinary pages that carry a marker without being a wall.

The wall pages themselves (tests/hostile/pages.py) are served by the hostile web and judged
in tests/hostile/test_matrix.py ("wall: ..." and "alive: ..." cases). Sources of the markers:

- Cloudflare: `cf-mitigated: challenge` is set on every challenge page, "challenge is the only
  valid value" (developers.cloudflare.com/cloudflare-challenges/challenge-types/
  challenge-pages/detect-response; cloudflare/cloudflare-docs#8590). The page title
  "Just a moment...", `window._cf_chl_opt` and `/cdn-cgi/challenge-platform/h/.../orchestrate/`
  (JimmyLaurent/cloudflare-scraper#51, justrach/kuri#116, docs.rs parse-book-source
  `is_challenge`); the `__cf_chl_tk` / `__cf_chl_f_tk` tokens of the challenge form. The JSD
  beacon `/cdn-cgi/challenge-platform/scripts/jsd/main.js` is injected into ordinary 200
  pages and is not a wall (microlinkhq/is-antibot#56).
- Anubis: `<script id="anubis_challenge"` and `/.within.website/x/cmd/anubis/`
  (microlinkhq/is-antibot#21, TecharoHQ/anubis), title "Making sure you're not a bot!".
- DataDome: the block page loads from `geo.captcha-delivery.com` / `ct.captcha-delivery.com`
  (MoterHaker/bypass-captcha-examples#1, campo1312/DataDome#5) or `ct.datado.me`, "only
  used to show CAPTCHAs" (easylist/easylist#4509; page shape in psf/requests#5331); the
  `X-DD-B: 1|2` header (is-antibot providers.json).
- PerimeterX / HUMAN: `<meta name="description" content="px-captcha">`, title "Access to this
  page has been denied", `<div id="px-captcha">`, "Press & Hold" (0xjas0/Chegg-Answer-Bot#34,
  Ekultek/WhatWaf#47). `window._pxAppId` alone is the sensor on ordinary pages.
- Akamai Bot Manager: the behavioural ("sec-cpt") interstitial: `sec-if-cpt-container`,
  "Powered and protected by Akamai", a 200 of about 2 KB (germondai/trawl#33), its script
  and verify endpoint under `/_sec/cp_challenge/` (matched by public crawlers' detectors),
  title "Challenge Page" with `/.well-known/sbsd` (D4Vinci/Scrapling#213);
  `errors.edgesuite.net` on its "Access Denied" page.
- Imperva / Incapsula: the block page is an `<iframe id="main-iframe"
  src="/_Incapsula_Resource?...">` reading "Request unsuccessful. Incapsula incident ID: ..."
  (about 1 kB, quoted in public scrapers' detectors); `_Incapsula_Resource` alone is a script
  injected into ordinary pages (ziplokk1/incapsula-cracker#6, psf/requests#5331).
- Sucuri: title "Sucuri WebSite Firewall - Access Denied", `cdn.sucuri.net/sucuri-firewall-
  block.css`, headers `X-Sucuri-ID` / `X-Sucuri-Block` (Ekultek/WhatWaf#1164,
  sqlmapproject/sqlmap#2761, johngodley/redirection#2234).
- AWS WAF: a Challenge answers `202` with `x-amzn-waf-action: challenge` and a JavaScript
  interstitial (docs.aws.amazon.com/waf/latest/APIReference/API_ChallengeAction.html);
  the interstitial sets `window.gokuProps` and loads `.../challenge.js` from awswaf.com.
- hCaptcha / reCAPTCHA interstitials: the widget classes `h-captcha` / `g-recaptcha` and
  their api.js (is-antibot providers.json) on a short page asking the reader to prove they
  are human ("unusual traffic from your computer network" is Google's own wording).
- JavaScript-only shells: "Please enable JavaScript to continue" with no other content.
"""

from __future__ import annotations

from citecheck.checkers.page import read_page
from citecheck.checkers.walls import header_wall, page_wall
from tests.hostile import pages


def test_every_wall_page_is_recognised_with_its_product() -> None:
    walls = {
        pages.CLOUDFLARE_FULL: "Cloudflare",
        pages.CLOUDFLARE_TITLE_ONLY: "Cloudflare",
        pages.CLOUDFLARE_PLATFORM: "Cloudflare",
        pages.CLOUDFLARE_TOKEN: "Cloudflare",
        pages.ANUBIS: "Anubis",
        pages.DATADOME: "DataDome",
        pages.PERIMETERX: "PerimeterX",
        pages.AKAMAI: "Akamai",
        pages.IMPERVA: "Imperva",
        pages.SUCURI: "Sucuri",
        pages.AWS_WAF: "AWS WAF",
        pages.HCAPTCHA: "CAPTCHA interstitial",
        pages.RECAPTCHA: "CAPTCHA interstitial",
        pages.JS_SHELL: "JavaScript-only page",
    }
    for body, product in walls.items():
        assert read_page(body, None).wall == product, body[:80]


def test_ordinary_pages_are_not_walls() -> None:
    for body in (
        pages.MENTIONS_CLOUDFLARE,
        pages.CLOUDFLARE_BEACON,
        pages.CONTACT_FORM_RECAPTCHA,
        pages.PX_SENSOR,
        pages.ARTICLE_QUOTES_MARKERS,
        pages.NOSCRIPT_NOTE,
        pages.article("Just a moment... with the minister"),  # the phrase, not the title
    ):
        assert read_page(body, None).wall is None, body[:120]


def test_a_marker_deep_in_a_big_page_is_not_a_wall() -> None:
    big = pages.article("Big", n=5000).decode() + "<script>var x='_cf_chl_opt';</script>"
    assert page_wall(big) is None


def test_headers() -> None:
    assert header_wall({"cf-mitigated": "challenge"}) == "Cloudflare"
    assert header_wall({"cf-mitigated": "CHALLENGE "}) == "Cloudflare"
    assert header_wall({"x-amzn-waf-action": "captcha"}) == "AWS WAF"
    assert header_wall({"x-dd-b": "2"}) == "DataDome"
    assert header_wall({"x-sucuri-block": "EVA079"}) == "Sucuri"
    for ordinary in ({"cf-ray": "8a1b"}, {"x-datadome": "protected"}, {"x-dd-b": "0"}, {}):
        assert header_wall(ordinary) is None
