"""What every PDF of the platform shares: text the PDF core fonts can set."""

import unicodedata

ENCODING = "windows-1252"


def pdf_text(text):
    """Text the PDF core fonts can set: Windows-1252 covers Swedish and the usual typography;
    anything else becomes its closest plain letter, or a question mark."""
    text = str(text)
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    plain = []
    for char in text:
        try:
            char.encode(ENCODING)
            plain.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char)[:1]
            plain.append(base if base and base.encode(ENCODING, "ignore") else "?")
    return "".join(plain)
