"""Pages of the hostile web: ordinary articles, and bot walls shaped as their products
serve them (sources for every marker in tests/hostile/test_walls.py)."""

from __future__ import annotations

from typing import Any

from citecheck.models import LinkStatus as S

LOREM = (
    "The programme supported national consultations on tenure of land, fisheries and "
    "forests, and the secretariat collected the contributions of member states. "
)


def words(n: int) -> bytes:
    """About `n` words of ordinary prose."""
    text = (LOREM * (n // 20 + 1)).split()[:n]
    return ("<p>" + " ".join(text) + "</p>").encode()


def article(title: str, extra: str = "", n: int = 400) -> bytes:
    return (
        (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>").encode()
        + words(n)
        + extra.encode()
        + b"</body></html>"
    )


def _page(html: str) -> bytes:
    return html.encode()


# ---------------------------------------------------------------- walls (answer 200)

CLOUDFLARE_FULL = _page(
    '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
    '<meta name="robots" content="noindex,nofollow"></head><body>'
    '<div class="main-wrapper" role="main"><div class="main-content">'
    '<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and '
    "cookies to continue</span></div></noscript></div></div><script>(function(){"
    "window._cf_chl_opt={cvId: '3',cZone: \"www.example.org\",cType: 'managed',"
    "cRay: '8a1b2c3d4e5f6a7b',cH: 'abc',cUPMDTk: \"/?__cf_chl_tk=Zx1\"};"
    "var cpo=document.createElement('script');"
    "cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b2c3d4e5f6a7b';"
    "document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>"
)
CLOUDFLARE_TITLE_ONLY = _page(
    "<html><head><title>Just a moment...</title></head><body><p>Checking the connection."
    "</p></body></html>"
)
CLOUDFLARE_PLATFORM = _page(
    "<html><head><title>www.example.org</title></head><body><p>One more step</p>"
    '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/managed/v1?ray=1"></script>'
    "</body></html>"
)
CLOUDFLARE_TOKEN = _page(
    "<html><head><title>Please wait</title></head><body>"
    '<form id="challenge-form" action="/report.pdf?__cf_chl_f_tk=Q2xvdWRmbGFyZQ" method="POST">'
    '<input type="hidden" name="md" value="x"></form></body></html>'
)
ANUBIS = _page(
    '<!doctype html><html lang="en"><head><title>Making sure you&#39;re not a bot!</title>'
    '<link rel="stylesheet" href="/.within.website/x/xess/xess.min.css?cacheBuster=v1.19.1">'
    '<script id="anubis_version" type="application/json">"v1.19.1"</script>'
    '<script id="anubis_challenge" type="application/json">{"rules":{"algorithm":"fast",'
    '"difficulty":4,"report_as":4},"challenge":"5f3c1e"}</script>'
    '<script async type="module" src="/.within.website/x/cmd/anubis/static/js/main.mjs">'
    '</script></head><body id="top"><main><h1 id="title">Making sure you&#39;re not a '
    'bot!</h1><p id="status">Loading...</p></main></body></html>'
)
DATADOME = _page(
    "<html><head><title>www.example.org</title><style>#cmsg{animation: A 1.5s;}</style>"
    '</head><body style="margin:0"><p id="cmsg">Please enable JS and disable any ad blocker'
    "</p><script data-cfasync=\"false\">var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':"
    "'0D3A9F','t':'fe','s':40000,'host':'geo.captcha-delivery.com'}</script>"
    '<script data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script>'
    "</body></html>"
)
PERIMETERX = _page(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="description" content="px-captcha">'
    "<title>Access to this page has been denied</title></head><body><script>"
    "window._pxAppId = 'PXaOtQIWNf'; window._pxJsClientSrc = '/aOtQIWNf/init.js';"
    "window._pxFirstPartyEnabled = true; var pxCaptchaSrc = '/aOtQIWNf/captcha/captcha.js?a=c';"
    '</script><div class="px-captcha-container"><div id="px-captcha"></div>'
    "<p>Press &amp; Hold to confirm you are a human (and not a bot).</p></div></body></html>"
)
AKAMAI = _page(
    "<!DOCTYPE html><html><head><title>Challenge Page</title></head><body>"
    '<div id="sec-if-cpt-container" class="sec-if-cpt-container">'
    '<div class="behavioral-content"><h1>Verifying your request</h1>'
    "<p>Powered and protected by Akamai</p></div></div>"
    '<script src="/_sec/cp_challenge/ak-challenge-4-3.js"></script></body></html>'
)
IMPERVA = _page(
    '<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW">'
    '<script type="text/javascript" '
    'src="/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3">'
    '</script></head><body style="margin:0px;height:100%"><iframe id="main-iframe" '
    'src="/_Incapsula_Resource?CWUDNSAI=24&xinfo=5-1234-0&incident_id=1234-5678&edet=15" '
    'frameborder=0 width="100%" height="100%" marginheight="0px" marginwidth="0px">'
    "Request unsuccessful. Incapsula incident ID: 1234000000000-567800000000</iframe>"
    "</body></html>"
)
SUCURI = _page(
    '<!DOCTYPE html><html lang="en" xmlns="http://www.w3.org/1999/xhtml"><head>'
    '<link rel="stylesheet" href="https://cdn.sucuri.net/sucuri-firewall-block.css" />'
    "<title>Sucuri WebSite Firewall - Access Denied</title></head><body>"
    '<div id="main-container"><header class="app-header clearfix"><div class="wrap">'
    '<span class="logo-neartext">Website Firewall</span></div></header>'
    '<section class="app-content access-denied clearfix"><h1>Access Denied - Sucuri '
    "Website Firewall</h1></section></div></body></html>"
)
AWS_WAF = _page(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title></title>'
    '<script>window.awsWafCookieDomainList = [];window.gokuProps = {"key":"AQIDAHj",'
    '"iv":"CgAGQz","context":"Q2hhbGxlbmdl"};</script>'
    '<script src="https://3a1b2c.edge.sdk.awswaf.com/3a1b2c/4d5e6f/challenge.js"></script>'
    '</head><body><div id="challenge-container"></div><noscript><h1>JavaScript is disabled'
    "</h1>In order to continue, you need to verify that you're not a robot by solving a "
    "CAPTCHA puzzle.</noscript></body></html>"
)
HCAPTCHA = _page(
    "<html><head><title>Security check</title>"
    '<script src="https://hcaptcha.com/1/api.js" async defer></script></head><body>'
    "<h1>One more step</h1><p>Please verify you are a human to continue to the site.</p>"
    '<form method="POST"><div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-'
    '000000000001"></div><button>Continue</button></form></body></html>'
)
RECAPTCHA = _page(
    "<html><head><title>Sorry...</title>"
    '<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>'
    "<body><h1>Our systems have detected unusual traffic from your computer network.</h1>"
    "<p>To continue, please confirm you are not a robot.</p>"
    '<form><div class="g-recaptcha" data-sitekey="6LfwuyUTAAAAAOAmoS0fdqijC2PbbdH4kjq62Y1b">'
    "</div></form></body></html>"
)
JS_SHELL = _page(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title>'
    '<script defer="defer" src="/static/js/main.4f1c2b.js"></script></head><body>'
    "<noscript>Please enable JavaScript to continue using this application.</noscript>"
    '<div id="root"></div></body></html>'
)

# ------------------------------------------------------- ordinary pages that stay alive

MENTIONS_CLOUDFLARE = article(
    "How content delivery networks changed the web",
    "<p>Sites behind Cloudflare sometimes show a page titled 'Just a moment...' while "
    "Cloudflare checks the browser; Akamai, Imperva and DataDome offer similar bot "
    "management, and a CAPTCHA may ask readers to verify they are human.</p>",
)
CLOUDFLARE_BEACON = article(
    "Report on the 2014 consultations",
    "<script>(function(){var a=document.createElement('script');"
    "a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js';"
    "document.head.appendChild(a);})();</script>",
)
CONTACT_FORM_RECAPTCHA = article(
    "Contact the secretariat",
    '<form><textarea name="msg"></textarea><div class="g-recaptcha" data-sitekey="6Lc">'
    '</div></form><script src="https://www.google.com/recaptcha/api.js"></script>'
    "<p>Please verify you are a human before sending.</p>",
)
PX_SENSOR = article(
    "Product catalogue",
    "<script>window._pxAppId = 'PXaOtQIWNf';(function(){var p=document.createElement("
    "'script');p.src='/aOtQIWNf/init.js';document.head.appendChild(p);})();</script>",
)
ARTICLE_QUOTES_MARKERS = article(
    "Detecting bot walls in a crawler",
    "<pre><code>if '_cf_chl_opt' in html or 'captcha-delivery.com' in html: wall()"
    "</code></pre><p>Incapsula incident ID pages and Sucuri WebSite Firewall blocks look "
    "different again.</p>",
    n=900,
)
NOSCRIPT_NOTE = article(
    "Statistics portal",
    "<noscript>Please enable JavaScript for the interactive charts.</noscript>",
)


def _html(body: bytes, headers: list[tuple[str, str]] | None = None, code: int = 200) -> Any:
    async def handler(conn: Any) -> None:
        await conn.respond(code, body, headers)

    return handler


WALL_ROUTES = {
    "/wall/cloudflare": _html(CLOUDFLARE_FULL),
    "/wall/cloudflare-title": _html(CLOUDFLARE_TITLE_ONLY),
    "/wall/cloudflare-header": _html(article("Ordinary-looking"), [("cf-mitigated", "challenge")]),
    "/wall/cloudflare-platform": _html(CLOUDFLARE_PLATFORM),
    "/wall/cloudflare-token": _html(CLOUDFLARE_TOKEN),
    "/wall/anubis": _html(ANUBIS),
    "/wall/datadome": _html(DATADOME),
    "/wall/datadome-header": _html(article("Blocked?"), [("X-DD-B", "1")]),
    "/wall/perimeterx": _html(PERIMETERX),
    "/wall/akamai": _html(AKAMAI),
    "/wall/imperva": _html(IMPERVA),
    "/wall/sucuri": _html(SUCURI),
    "/wall/sucuri-header": _html(article("Blocked"), [("X-Sucuri-Block", "EVA079")]),
    "/wall/aws-waf": _html(AWS_WAF, [("x-amzn-waf-action", "challenge")], code=202),
    "/wall/aws-waf-200": _html(AWS_WAF),
    "/wall/hcaptcha": _html(HCAPTCHA),
    "/wall/recaptcha": _html(RECAPTCHA),
    "/wall/js-shell": _html(JS_SHELL),
    "/page/mentions-cloudflare": _html(MENTIONS_CLOUDFLARE),
    "/page/cloudflare-beacon": _html(CLOUDFLARE_BEACON),
    "/page/contact-recaptcha": _html(CONTACT_FORM_RECAPTCHA),
    "/page/px-sensor": _html(PX_SENSOR),
    "/page/quotes-markers": _html(ARTICLE_QUOTES_MARKERS),
    "/page/noscript-note": _html(NOSCRIPT_NOTE),
    "/page/cf-mitigated-other": _html(article("Fine"), [("cf-mitigated", "none")]),
}


def wall_cases() -> list:
    from tests.hostile.behaviours import WALLS, Case

    walls = [
        ("Cloudflare 'Just a moment...'", "/wall/cloudflare", "Cloudflare"),
        ("Cloudflare title alone", "/wall/cloudflare-title", "Cloudflare"),
        ("cf-mitigated: challenge on a 200", "/wall/cloudflare-header", "Cloudflare"),
        ("/cdn-cgi/challenge-platform script", "/wall/cloudflare-platform", "Cloudflare"),
        ("__cf_chl_ token", "/wall/cloudflare-token", "Cloudflare"),
        ("Anubis", "/wall/anubis", "Anubis"),
        ("DataDome captcha page", "/wall/datadome", "DataDome"),
        ("DataDome X-DD-B header", "/wall/datadome-header", "DataDome"),
        ("PerimeterX / HUMAN", "/wall/perimeterx", "PerimeterX"),
        ("Akamai Bot Manager", "/wall/akamai", "Akamai"),
        ("Imperva / Incapsula", "/wall/imperva", "Imperva"),
        ("Sucuri firewall page", "/wall/sucuri", "Sucuri"),
        ("Sucuri X-Sucuri-Block header", "/wall/sucuri-header", "Sucuri"),
        ("AWS WAF challenge (202)", "/wall/aws-waf", "AWS WAF"),
        ("AWS WAF interstitial on a 200", "/wall/aws-waf-200", "AWS WAF"),
        ("hCaptcha interstitial", "/wall/hcaptcha", "CAPTCHA"),
        ("reCAPTCHA interstitial", "/wall/recaptcha", "CAPTCHA"),
        ("'Please enable JavaScript' shell", "/wall/js-shell", "JavaScript"),
    ]
    alive = [
        ("page that mentions Cloudflare", "/page/mentions-cloudflare"),
        ("Cloudflare JSD beacon on a page", "/page/cloudflare-beacon"),
        ("contact form with reCAPTCHA", "/page/contact-recaptcha"),
        ("PerimeterX sensor on a page", "/page/px-sensor"),
        ("article quoting wall markers", "/page/quotes-markers"),
        ("noscript note on a full page", "/page/noscript-note"),
        ("cf-mitigated other than challenge", "/page/cf-mitigated-other"),
    ]
    return [
        Case(
            f"wall: {name}",
            path,
            S.DENIED,
            f"bot wall stands in front of the page ({who}",
            host=WALLS,
        )
        for name, path, who in walls
    ] + [Case(f"alive: {name}", path, S.ALIVE, host=WALLS) for name, path in alive]
