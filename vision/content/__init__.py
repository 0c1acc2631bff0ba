"""Sign content analysis: scripts on the sign, Thai-below-foreign, graphics, moving display.

Public entry points::

    from vision.content import analyze, TesseractReader, TextReader

    content = analyze(crop_bgr)                       # default TesseractReader
    content = analyze(crop_bgr, ocr=my_reader)        # any TextReader (tests, other OCR)

Modules: ``scripts`` (Unicode script rules), ``lines`` (OCR words -> same-script runs and
their confidence), ``ocr`` (``TextReader`` protocol, tesseract adapter), ``layout``
(Thai-below-foreign test), ``graphics`` (picture/logo cue), ``moving`` (moving-display
cue), ``analysis`` (``analyze``), ``samples`` and ``evaluate`` (evaluation data and
report; not used by ``analyze``).
"""

from vision.content.analysis import analyze
from vision.content.ocr import OcrError, TesseractReader, TextReader

__all__ = ["OcrError", "TesseractReader", "TextReader", "analyze"]
