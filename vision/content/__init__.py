"""Sign content analysis: scripts on the sign, Thai-below-foreign, graphics, moving display.

Public entry points::

    from vision.content import analyze, TesseractReader, TextReader

    content = analyze(crop_bgr)                       # default TesseractReader
    content = analyze(crop_bgr, ocr=my_reader)        # any TextReader (tests, other OCR)
    content = analyze(crop_bgr, classifier=ContentClassifier(model_dir))  # + content network

Modules: ``scripts`` (Unicode script rules), ``lines`` (OCR words -> same-script runs and
their confidence), ``ocr`` (``TextReader`` protocol, tesseract adapter), ``layout``
(Thai-below-foreign test), ``graphics`` (picture/logo cue), ``moving`` (moving-display
cue), ``views`` (images prepared for tesseract), ``regions`` (second look at unread
regions), ``structure`` (is there an image on the crop at all), ``classifier`` (the content
network), ``fusion`` (OCR + network), ``calibration`` (confidence as a measured probability),
``analysis`` (``analyze``), ``samples`` (signs drawn from a spec and real crops for tests
and evaluation; not used by ``analyze``). The evaluation lives in
:mod:`training.eval_content`.
"""

from vision.content.analysis import analyze
from vision.content.ocr import OcrError, TesseractReader, TextReader

__all__ = ["OcrError", "TesseractReader", "TextReader", "analyze"]
