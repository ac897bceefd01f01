"""Security headers on every response: a strict Content-Security-Policy and friends."""

# Scripts, styles, fonts and data only from this origin; nothing may frame the page.
# Inline style *attributes* are allowed because the MathML renderer (temml) writes table
# borders and spacing as style="..." on <mtd>; they cannot run code, and <style>
# elements and inline scripts stay forbidden.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
