"""Everything held about a person (accounts.privacy.personal_data) as a PDF."""

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from yrkesresan.core.pdf import ENCODING, pdf_text


def as_pdf(sections, person):
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(
        pdf_text(_("Personal data held about %(name)s") % {"name": person.get_full_name()})
    )
    pdf.set_author("Yrkesresan")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def text(value, size=10, style="", height=5.5):
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, height, pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    text(_("Personal data held about %(name)s") % {"name": person.get_full_name()}, 16, "B", 9)
    text(_("Produced on %(date)s") % {"date": timezone.localdate().isoformat()})
    for section in sections:
        pdf.ln(3)
        text(section.title, 13, "B", 7)
        text(_("Why: %(purpose)s") % {"purpose": section.purpose}, 9)
        text(_("How long: %(retention)s") % {"retention": section.retention}, 9)
        if not section.rows:
            text(_("Nothing is held."))
        for number, row in enumerate(section.rows, start=1):
            pdf.ln(1)
            text(f"{number}.", style="B")
            for label, value in row.items():
                text(f"{label}: {value or '-'}")
    return bytes(pdf.output())
